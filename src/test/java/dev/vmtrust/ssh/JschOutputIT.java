package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 finding 4: VMs that print a lot, against the installed heap (-Xmx64m), in a child JVM. */
class JschOutputIT {
    @TempDir
    static Path dir;

    private static LoopbackSshd sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        LoopbackSshd.requireEnvironment();
        sshd = LoopbackSshd.start(dir);
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) sshd.close();
    }

    @Test
    void sixVmsPrinting30MbEachFinishPromptlyUnder64MbWithATruncatedOutputFailure() throws Exception {
        String command = "head -c 30000000 /dev/zero | tr '\\0' a; head -c 30000000 /dev/zero >&2;"
                + " echo; echo 'vmtrust: done none'";
        Path out = dir.resolve("child.out");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChattyVms.class.getName(),
                        String.valueOf(sshd.port()),
                        sshd.key().toString(),
                        "6",
                        command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        long start = System.nanoTime();
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        if (!ended) p.destroyForcibly();
        String text = Files.readString(out);

        assertThat(ended).as(text).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(seconds).as("seconds").isLessThan(60);
        List<String> lines = text.lines().toList();
        // 30 MB of "a", a newline and "vmtrust: done none\n" (19 bytes)
        long dropped = 30_000_020 - JschRemoteShell.STDOUT_HEAD - JschRemoteShell.TAIL;
        assertThat(lines.subList(0, 6))
                .as(text)
                .containsOnly("output-truncated: the VM printed " + dropped + " bytes"
                        + " more on stdout than vmtrust keeps, so this run's result is not trusted; something in the VM prints"
                        + " on every command (shell profile, sudo lecture?)");
        assertThat(lines.get(6)).isEqualTo("budget left " + dev.vmtrust.ssh.OutputBudget.DEFAULT_BYTES);
        assertThat(text).doesNotContain("OutOfMemoryError");
    }
}
