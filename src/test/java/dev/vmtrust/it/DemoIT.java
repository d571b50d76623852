package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "See it work without a Mac": scripts/demo.sh runs start to end (x509 before, pulls after the agent's
 * first sync, a rotation followed by the agent alone, the old CA gone, status, the rotated event), exits 0, and
 * leaves nothing behind: its folder is gone, no process mentions it, the host's trust store is unchanged.
 */
class DemoIT {
    private static final long LIMIT_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    void theDemoShowsX509ThenPullsThroughARotationAndCleansUpAfterItself() throws Exception {
        SandboxSupport.assumeDocker();
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        Path log = tmp.resolve("demo.log");
        Process demo = new ProcessBuilder(
                        "bash",
                        SandboxSupport.projectDir().resolve("scripts/demo.sh").toString())
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!demo.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            demo.destroy(); // SIGTERM: the demo's trap stops its agent and VMs
            if (!demo.waitFor(30, TimeUnit.SECONDS)) Cmd.killTree(demo);
            throw new AssertionError("demo did not finish within " + LIMIT_SECONDS + " s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertThat(demo.exitValue()).as(out).isZero();

        assertThat(out.split("x509: certificate signed by unknown authority", -1))
                .as(out)
                .hasSize(4); // 3 failures
        assertThat(out)
                .contains("$ vmtrust run &")
                .contains("reconcile done in")
                .contains("change detected: ")
                .contains("subject=O = Example Corp, CN = Corp Root 2025")
                .doesNotContain("subject=O = Example Corp, CN = Corp Root 2024")
                .contains("Corp Root 2024 in default's /etc/ssl/certs/ca-certificates.crt: no")
                .contains("Corp Root 2024 in work's /etc/ssl/certs/ca-certificates.crt: no")
                .contains("$ " + SandboxSupport.projectDir().resolve("scripts/vmtrust") + " status")
                .containsPattern("last reconcile .*\\n +colima/default .*\\n +colima/work ")
                .contains("\"event\":\"rotated\"")
                .contains("\"subject\":\"CN=Corp Root 2024,O=Example Corp\"")
                .contains("Done: host trust store unchanged");
        assertThat(out.split("\n    registry.test:5000/hello:latest", -1))
                .as("successful pulls")
                .hasSize(5);

        Matcher m = Pattern.compile("cleaning up \\(agent, registries, VMs, (/tmp/vmtrust-demo\\.[A-Za-z0-9]+)\\)")
                .matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String dir = m.group(1);
        assertThat(Path.of(dir)).doesNotExist();
        assertThat(processesMentioning(dir)).as("processes left behind").isZero();
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /** Processes whose command line contains TEXT (the demo's VMs, registries and agent all name its folder). */
    private static long processesMentioning(String text) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline")))
                                    .replace('\0', ' ')
                                    .contains(text);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .count();
        }
    }
}
