package dev.vmtrust.bench;

import dev.vmtrust.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The product as a user runs it: {@code scripts/vmtrust} (the launcher, so JVM start-up and its default options
 * count), with a private HOME and XDG folders under ROOT, never the real user's.
 */
final class Vmtrust {
    final Path launcher;
    final Path root;

    /** The checkout's own launcher, scripts/vmtrust (it runs target/vmtrust.jar). */
    static Vmtrust ofProject(Path projectDir, Path root) {
        return new Vmtrust(projectDir.resolve("scripts/vmtrust"), root);
    }

    private Vmtrust(Path launcher, Path root) {
        this.launcher = launcher;
        this.root = root;
        try {
            Files.createDirectories(root.resolve("home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Another build of vmtrust (JAR) in the installed layout (DIR/vmtrust + DIR/vmtrust.jar, the project's
     * launcher), with its own private HOME and XDG folders under ROOT: the baseline of an A/B run.
     */
    static Vmtrust installed(Path projectDir, Path jar, Path dir, Path root) {
        try {
            Files.createDirectories(dir);
            Path launcher = Files.copy(projectDir.resolve("scripts/vmtrust"), dir.resolve("vmtrust"));
            launcher.toFile().setExecutable(true);
            Files.copy(jar, dir.resolve("vmtrust.jar"));
            return new Vmtrust(launcher, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", root.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_STATE_HOME", root.resolve("state").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("XDG_DATA_HOME", root.resolve("data").toString());
        env.put("COLIMA_HOME", null);
        env.put("LIMA_HOME", null);
        env.put("VMTRUST_CONFIG", null);
        env.put("SSH_AUTH_SOCK", null);
        return env;
    }

    Path stateDir() {
        return root.resolve("state/vmtrust");
    }

    /** Writes a config: CA_FILE as the only source, COLIMA as the Colima home, no Lima, hook HOOK (or none). */
    Path config(String name, Path caFile, Path colima, Path hook) {
        try {
            Path f = Files.createDirectories(root.resolve("configs")).resolve(name + ".yaml");
            Files.writeString(
                    f, """
                    sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                    targets: {colima: {home: %s}, lima: {home: %s}}
                    notify: {desktop: false, command: [%s]}
                    """.formatted(caFile, colima, root.resolve("no-lima"), hook == null ? "" : hook.toString()));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Sh.Result run(Map<String, String> extraEnv, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Map<String, String> env = env();
        env.putAll(extraEnv);
        return Sh.run(cmd, env, null, Duration.ofMinutes(5));
    }

    /** {@code vmtrust --config CONFIG sync --json}; the parsed report (fails on a non-zero exit). */
    Map<String, Object> sync(Path config) {
        Sh.Result r = run(Map.of(), "--config", config.toString(), "sync", "--json");
        if (!r.ok()) throw new IllegalStateException("vmtrust sync failed: " + r);
        return Json.asObject(Json.parse(r.out().strip()));
    }

    static List<Map<String, Object>> targets(Map<String, Object> report) {
        return Json.asList(report.get("targets")).stream().map(Json::asObject).toList();
    }

    /** Starts {@code vmtrust --config CONFIG run} with stdout+stderr to LOG; the launcher execs java, so the PID is the JVM. */
    Process startAgent(Path config, Path log) {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--config", config.toString(), "run");
        env().forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
