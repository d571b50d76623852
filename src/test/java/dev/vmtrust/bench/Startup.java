package dev.vmtrust.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 6: wall time of {@code java -version} against {@code vmtrust --version} and {@code vmtrust list}
 * (through the launcher), with the launcher's default JVM options, with an AppCDS archive of vmtrust's classes
 * (JDK 17: a dynamic archive written by {@code -XX:ArchiveClassesAtExit}, used with {@code -XX:SharedArchiveFile}),
 * and with class data sharing off, for reference. Variants run round-robin, after one warm-up each.
 */
final class Startup {
    /** The launcher's default options (scripts/vmtrust); VMTRUST_JAVA_OPTS replaces them, so variants repeat them. */
    static final String DEFAULT_OPTS =
            "-Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xshare:auto -XX:-UsePerfData";

    record Variant(String name, List<String> cmd, Map<String, String> env) {}

    static Map<String, Stats> measure(Vmtrust vmtrust, Path jar, Path config, Path archive, int runs) {
        String java = javaCommand();
        // the archive, as install.sh would make it: one `list` with the launcher's options
        Sh.check(
                Sh.run(
                        cmd(
                                java,
                                DEFAULT_OPTS + " -XX:ArchiveClassesAtExit=" + archive,
                                "-jar",
                                jar.toString(),
                                "--config",
                                config.toString(),
                                "list"),
                        vmtrust.env(),
                        null,
                        Duration.ofMinutes(2)),
                "AppCDS dump");
        if (!Files.isRegularFile(archive)) throw new IllegalStateException("no archive written at " + archive);
        // the options recommended for the launcher: a stale archive (new jar or JDK) is then ignored silently
        String cds = DEFAULT_OPTS + " -XX:SharedArchiveFile=" + archive + " -Xlog:cds=off -Xlog:cds+dynamic=off";
        String off = DEFAULT_OPTS.replace("-Xshare:auto", "-Xshare:off");
        String launcher = vmtrust.launcher.toString();
        List<Variant> vs = List.of(
                new Variant("java -version", List.of(java, "-version"), Map.of()),
                new Variant("java -Xshare:off -version", List.of(java, "-Xshare:off", "-version"), Map.of()),
                new Variant("vmtrust --version", List.of(launcher, "--version"), Map.of()),
                new Variant(
                        "vmtrust --version (AppCDS)", List.of(launcher, "--version"), Map.of("VMTRUST_JAVA_OPTS", cds)),
                new Variant(
                        "vmtrust --version (CDS off)",
                        List.of(launcher, "--version"),
                        Map.of("VMTRUST_JAVA_OPTS", off)),
                new Variant("vmtrust list", List.of(launcher, "--config", config.toString(), "list"), Map.of()),
                new Variant(
                        "vmtrust list (AppCDS)",
                        List.of(launcher, "--config", config.toString(), "list"),
                        Map.of("VMTRUST_JAVA_OPTS", cds)),
                new Variant(
                        "vmtrust list (CDS off)",
                        List.of(launcher, "--config", config.toString(), "list"),
                        Map.of("VMTRUST_JAVA_OPTS", off)));
        Map<String, Stats> out = new LinkedHashMap<>();
        vs.forEach(v -> out.put(v.name(), new Stats()));
        for (int i = -1; i < runs; i++) {
            for (Variant v : vs) {
                Map<String, String> env = vmtrust.env();
                env.put("VMTRUST_JAVA", java);
                env.putAll(v.env());
                long t0 = System.nanoTime();
                Sh.Result r = Sh.run(v.cmd(), env, null, Duration.ofMinutes(1));
                double ms = (System.nanoTime() - t0) / 1e6;
                if (!r.ok()) throw new IllegalStateException(v.name() + " failed: " + r);
                if (r.all().contains("[warning]")) throw new IllegalStateException(v.name() + " warned: " + r);
                if (i >= 0) out.get(v.name()).add(ms);
            }
        }
        return out;
    }

    private static List<String> cmd(String java, String opts, String... rest) {
        List<String> c = new ArrayList<>(List.of(java));
        c.addAll(List.of(opts.split(" ")));
        c.addAll(List.of(rest));
        return c;
    }

    /** The java the launcher would pick without install.sh's record: $JAVA_HOME/bin/java, else java on PATH. */
    static String javaCommand() {
        String home = System.getenv("JAVA_HOME");
        if (home != null && Files.isExecutable(Path.of(home, "bin/java")))
            return Path.of(home, "bin/java").toString();
        return "java";
    }
}
