package dev.vmtrust.cli;

import dev.vmtrust.service.InstallResult;
import dev.vmtrust.service.ServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmtrust install}: the agent as a launchd user agent (macOS) or systemd user unit (Linux). Idempotent. */
@Command(name = "install", description = "Install and start the agent (launchd on macOS, systemd --user on Linux).")
final class InstallCommand implements Callable<Integer> {
    @Option(names = "--dry-run", description = "print the file and the commands, change nothing")
    boolean dryRun;

    @Option(
            names = "--launcher",
            paramLabel = "PATH",
            description = "the launcher the service runs (default: $VMTRUST_LAUNCHER, set by scripts/vmtrust)")
    Path launcher;

    private final Context ctx;

    InstallCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        InstallResult r;
        try {
            r = ctx.services().forLauncher(launcher(ctx, launcher)).install(dryRun);
        } catch (ServiceException e) {
            throw new CliException(ExitCodes.UNEXPECTED, e.getMessage());
        }
        ctx.out().println(r.text());
        return r.ok() ? ExitCodes.OK : ExitCodes.UNEXPECTED;
    }

    /** The absolute launcher path: --launcher, else VMTRUST_LAUNCHER (exported by scripts/vmtrust for itself). */
    static Path launcher(Context ctx, Path option) {
        Path p = option != null
                ? option
                : ctx.env()
                        .get("VMTRUST_LAUNCHER")
                        .map(Path::of)
                        .orElseThrow(
                                () -> new CliException(
                                        ExitCodes.USAGE,
                                        "cannot tell where the vmtrust launcher is; run install through it "
                                                + "(scripts/install.sh, or <install dir>/vmtrust install), or pass --launcher PATH"));
        Path abs = p.toAbsolutePath().normalize();
        if (!Files.isExecutable(abs))
            throw new CliException(
                    ExitCodes.USAGE,
                    "launcher " + abs + " is not an executable file; run scripts/install.sh to put one in place");
        return abs;
    }
}
