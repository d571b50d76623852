package dev.vmtrust.install;

import dev.vmtrust.testing.Require;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * scripts/install.sh in a {@link Sandbox}: uname says Darwin (FAKE_UNAME=Linux for the other path), the fixed
 * probe paths live under {@link #macRoot} (VMTRUST_TEST_ROOT, a folder with a space), mvn is the stand-in that
 * copies {@code jar} into target/ (and logs each call to {@link #mvnLog}), and nothing else is on PATH.
 */
final class InstallFixture implements AutoCloseable {
    final Sandbox box;
    final Path macRoot;
    final Path mvnLog;

    InstallFixture(Path tmp, Path jar) throws IOException {
        box = new Sandbox(tmp);
        macRoot = Files.createDirectories(box.root.resolve("mac root"));
        mvnLog = box.root.resolve("mvn.log");
        box.standIn("uname");
        box.standIn("mvn");
        box.env.put("VMTRUST_TEST_ROOT", macRoot.toString());
        box.env.put("FAKE_MVN_JAR", jar.toString());
        box.env.put("FAKE_MVN_LOG", mvnLog.toString());
        box.env.put("FAKE_KEYTOOL", Sandbox.realKeytool().toString());
    }

    /** Homebrew's keg-only openjdk@17 under /opt/homebrew, the real java behind it. */
    Path homebrewJava17() throws IOException {
        return Sandbox.realJavaAt(macRoot.resolve("opt/homebrew/opt/openjdk@17"));
    }

    /** Puts {@code javaHome}/bin on PATH (before the system tools), as a java found through PATH. */
    void onPath(Path javaHome) {
        box.env.put("PATH", box.bin + ":" + javaHome.resolve("bin") + ":" + box.tools);
    }

    /** The install folder install.sh uses on macOS. */
    Path macDest() {
        return box.home.resolve("Library/Application Support/vmtrust");
    }

    Sandbox.Result install(String... args) throws Exception {
        Path dash = Require.tool("running install.sh under dash", "/usr/bin/dash", "/bin/dash");
        String[] cmd = new String[args.length + 2];
        cmd[0] = dash.toString();
        cmd[1] = box.checkout.resolve("scripts/install.sh").toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return box.run(box.home, cmd);
    }

    /** The lines the stand-in mvn logged ("args=... | JAVA_HOME=... | MAVEN_OPTS=...", keytool's entry count). */
    List<String> mvnCalls() throws IOException {
        return Files.exists(mvnLog) ? Files.readAllLines(mvnLog) : List.of();
    }

    /** What the fake jar prints for {@code args} when the installed launcher in {@code dest} runs it with the archive. */
    static String fakeJarRun(Path dest, String... args) {
        StringBuilder sb = new StringBuilder("launcher=" + dest.resolve("vmtrust") + "\n");
        FakeJar.DEFAULT_OPTIONS.forEach(o -> sb.append("jvm=").append(o).append('\n'));
        sb.append("jvm=-XX:SharedArchiveFile=")
                .append(dest.resolve("vmtrust.jsa"))
                .append('\n')
                .append("jvm=-Xlog:cds=off\njvm=-Xlog:cds+dynamic=off\n");
        for (String a : args) sb.append("arg=").append(a).append('\n');
        return sb.toString();
    }

    /** The SHA-256 fingerprint as keytool -list prints it (AA:BB:...). */
    static String keytoolFingerprint(byte[] der) throws Exception {
        return HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    @Override
    public void close() throws IOException {
        box.close();
    }
}
