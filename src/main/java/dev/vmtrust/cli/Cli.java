package dev.vmtrust.cli;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigException;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.json.Json;
import dev.vmtrust.platform.SafeText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code vmtrust} command line: global options, subcommands, and the one place errors become exit codes. */
@Command(
        name = "vmtrust",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Keeps Colima/Lima VMs trusting the corporate CAs this host trusts.",
        subcommands = {
            ListCommand.class,
            SyncCommand.class,
            StatusCommand.class,
            ExportCommand.class,
            EnvCommand.class,
            InstallCommand.class,
            UninstallCommand.class,
            RunCommand.class,
            DoctorCommand.class
        })
public final class Cli implements Runnable {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "config file (default: $VMTRUST_CONFIG, "
                    + "else $XDG_CONFIG_HOME/vmtrust/config.yaml, else ~/.config/vmtrust/config.yaml)")
    Path configFile;

    @Option(
            names = {"-v", "--verbose"},
            description = "debug logging")
    boolean verbose;

    final Context ctx;

    Cli(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command; see vmtrust --help");
    }

    /** Loads the config named by --config / VMTRUST_CONFIG / the default location. */
    Config config() {
        try {
            return ConfigLoader.load(Optional.ofNullable(configFile), ctx.env());
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.problems());
        }
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    public static int execute(Context ctx, String... args) {
        Cli root = new Cli(ctx);
        CommandLine cl = new CommandLine(root, new Factory(ctx));
        cl.setExecutionStrategy(parsed -> {
            Logging.verbose(root.verbose);
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        boolean json = Arrays.asList(args).contains("--json");
        cl.setParameterExceptionHandler((e, a) -> {
            // picocli's own text may span lines; each line is escaped when printed
            List<String> lines =
                    new ArrayList<>(Arrays.asList(String.valueOf(e.getMessage()).split("\n", -1)));
            if (!json) lines.add("see: vmtrust --help");
            report(ctx, json, ExitCodes.USAGE, lines);
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            boolean j = c.getCommand() instanceof JsonOutput jo && jo.json();
            if (e instanceof CliException ce) {
                report(ctx, j, ce.exitCode(), ce.lines());
                return ce.exitCode();
            }
            if (e instanceof dev.vmtrust.reconcile.StateFolderException) { // its message says what to do
                report(ctx, j, ExitCodes.UNEXPECTED, List.of(String.valueOf(e.getMessage())));
                return ExitCodes.UNEXPECTED;
            }
            Logging.unexpected(e);
            report(ctx, j, ExitCodes.UNEXPECTED, List.of("unexpected error: " + e + "; run with -v for details"));
            return ExitCodes.UNEXPECTED;
        });
        int code = cl.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        return code;
    }

    /** JSON: the lines joined by newlines (the JSON writer escapes). Text: each line escaped, one per line. */
    private static void report(Context ctx, boolean json, int exit, List<String> lines) {
        if (json)
            ctx.out()
                    .println(
                            Json.write(Json.obj("error", Json.obj("exit", exit, "message", String.join("\n", lines)))));
        else
            ctx.err()
                    .println("vmtrust: "
                            + String.join(
                                    "\n", lines.stream().map(SafeText::escape).toList()));
    }

    /** Builds commands with the context. */
    private record Factory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Context.class).newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"vmtrust " + (v == null ? "dev" : v)};
        }
    }
}
