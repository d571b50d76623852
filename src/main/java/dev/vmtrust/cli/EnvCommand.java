package dev.vmtrust.cli;

import dev.vmtrust.reconcile.NoCaFoundException;
import dev.vmtrust.reconcile.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vmtrust env}: exports that make host tools trust the set, for {@code eval "$(vmtrust env)"}.
 * The variables point at files in the state folder that the agent keeps current, so a shell profile keeps
 * working across rotations. With no CA at all it prints nothing and exits 4, so a shell is never pointed
 * at a missing or empty bundle.
 */
@Command(name = "env", description = "Print shell exports (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, ...) for host tools.")
final class EnvCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Option(names = "--shell", paramLabel = "SHELL", description = "sh (default; also bash, zsh) or fish")
    String shell = "sh";

    private final Context ctx;

    EnvCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (!shell.equals("sh") && !shell.equals("fish"))
            throw new CliException(ExitCodes.USAGE, "--shell: expected sh or fish, got \"" + shell + "\"");
        StateStore store = ctx.reconcile(cli.config()).state();
        if (!Files.isRegularFile(store.bundleFile()) || !Files.isRegularFile(store.caSetFile())) {
            try {
                store = ctx.reconcile(cli.config()).refreshBundles();
            } catch (NoCaFoundException e) {
                throw new CliException(ExitCodes.NO_CA, e.getMessage());
            }
        }
        for (Map.Entry<String, String> e :
                variables(store.bundleFile(), store.caSetFile()).entrySet()) {
            ctx.out()
                    .println(
                            shell.equals("fish")
                                    ? "set -gx " + e.getKey() + " " + fishQuote(e.getValue()) + ";"
                                    : "export " + e.getKey() + "=" + shQuote(e.getValue()));
        }
        return ExitCodes.OK;
    }

    /** Most tools want the full bundle; Node adds NODE_EXTRA_CA_CERTS to its own roots; uv needs native TLS. */
    static Map<String, String> variables(Path bundle, Path caSet) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : new String[] {
            "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "AWS_CA_BUNDLE", "PIP_CERT"
        }) m.put(v, bundle.toString());
        m.put("NODE_EXTRA_CA_CERTS", caSet.toString());
        m.put("UV_NATIVE_TLS", "true");
        return m;
    }

    static String shQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String fishQuote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
