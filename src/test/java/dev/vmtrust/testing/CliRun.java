package dev.vmtrust.testing;

import dev.vmtrust.cli.Cli;
import dev.vmtrust.cli.Context;
import dev.vmtrust.json.Json;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.ssh.JschConnector;
import dev.vmtrust.ssh.OutputBudget;
import dev.vmtrust.vm.VmLiveness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real command line in-process with the real runner, JSch and clock, but a private environment:
 * HOME, XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_CACHE_HOME under one temp folder, so no test touches the
 * real user's files. {@code config} is written to the private config location.
 */
public final class CliRun {
    public record Result(int exit, String out, String err) {
        public Map<String, Object> json() {
            return Json.asObject(Json.parse(out.strip()));
        }
    }

    private final Path root;
    private final Map<String, String> env = new HashMap<>();
    private dev.vmtrust.platform.CommandRunner runner = new ProcessRunner();

    public CliRun(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("HOME", root.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_STATE_HOME", root.resolve("state").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    public CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Replaces the real process runner (e.g. a FakeCommandRunner for install/uninstall). */
    public CliRun runner(dev.vmtrust.platform.CommandRunner r) {
        this.runner = r;
        return this;
    }

    public Path stateDir() {
        return root.resolve("state/vmtrust");
    }

    public Path home() {
        return root.resolve("home");
    }

    /** Writes the config file at $XDG_CONFIG_HOME/vmtrust/config.yaml. */
    public CliRun config(String yaml) {
        try {
            Path f = root.resolve("config/vmtrust/config.yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, yaml);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment e = new Environment(env, Os.LINUX);
        OutputBudget budget = new OutputBudget(OutputBudget.DEFAULT_BYTES);
        Context ctx = new Context(
                e,
                runner,
                ssh -> new JschConnector(ssh, HostResolver.SYSTEM, budget),
                VmLiveness.system(),
                Clock.systemUTC(),
                new PrintWriter(out),
                new PrintWriter(err),
                Context.realServices(e, runner));
        int code = Cli.execute(ctx, args);
        return new Result(code, out.toString(), err.toString());
    }
}
