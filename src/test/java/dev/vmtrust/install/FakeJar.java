package dev.vmtrust.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A tiny stand-in for vmtrust.jar, compiled in the test (unit tests run before the real jar is packaged). Its
 * Main prints one line each: {@code launcher=$VMTRUST_LAUNCHER}, {@code jvm=OPTION} per JVM option, and
 * {@code arg=ARG} per argument, so a test sees exactly which argv the launcher built.
 */
final class FakeJar {
    private FakeJar() {}

    private static final String MAIN = """
            public class Main {
                public static void main(String[] args) {
                    System.out.println("launcher=" + System.getenv("VMTRUST_LAUNCHER"));
                    for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                        System.out.println("jvm=" + o);
                    for (String a : args) System.out.println("arg=" + a);
                }
            }
            """;

    static Path build(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("fake-jar-src"));
        Path classes = Files.createDirectories(dir.resolve("fake-jar-classes"));
        Files.writeString(src.resolve("Main.java"), MAIN);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                src.resolve("Main.java").toString());
        if (rc != 0) throw new IllegalStateException("javac failed on the fake jar's Main (" + rc + ")");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
        Path jar = dir.resolve("fake-vmtrust.jar");
        try (OutputStream os = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(os, m)) {
            out.putNextEntry(new JarEntry("Main.class"));
            out.write(Files.readAllBytes(classes.resolve("Main.class")));
            out.closeEntry();
        }
        return jar;
    }

    /** The launcher's default JVM options (scripts/vmtrust), as the fake jar prints them. */
    static final List<String> DEFAULT_OPTIONS = List.of(
            "-Xmx64m",
            "-Xss512k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1",
            "-Xshare:auto",
            "-XX:-UsePerfData");

    /** What the launcher adds for the agent ({@code run}): heap it no longer needs goes back. */
    static final List<String> AGENT_OPTIONS = List.of("-Xms8m", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20");
}
