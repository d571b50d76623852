package dev.vmtrust.cli;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.SafeText;
import dev.vmtrust.reconcile.NoCaFoundException;
import dev.vmtrust.reconcile.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vmtrust export}: the CA set (or public roots + CA set) as PEM, freshly read from the sources. */
@Command(name = "export", description = "Print or write the CA set (--full: public roots + CA set) as PEM.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "write to FILE (atomically, mode 0644) instead of stdout")
    Path out;

    @Option(names = "--full", description = "the host's public roots followed by the CA set (for SSL_CERT_FILE)")
    boolean full;

    private final Context ctx;

    ExportCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        StateStore store;
        try {
            store = ctx.reconcile(cli.config()).refreshBundles();
        } catch (NoCaFoundException e) {
            throw new CliException(ExitCodes.NO_CA, e.getMessage());
        }
        byte[] pem = dev.vmtrust.platform.BoundedFiles.readBytes(
                full ? store.bundleFile() : store.caSetFile(),
                dev.vmtrust.platform.BoundedFiles.STATE_PEM,
                "a PEM bundle");
        if (out == null) {
            ctx.out().print(new String(pem, java.nio.charset.StandardCharsets.US_ASCII));
        } else {
            Path target =
                    out.isAbsolute() ? out : ctx.env().expand(out.toString()).toAbsolutePath();
            AtomicFiles.SYSTEM.write(target, pem, "rw-r--r--");
            ctx.err().println(SafeText.escape("wrote " + target));
        }
        return ExitCodes.OK;
    }
}
