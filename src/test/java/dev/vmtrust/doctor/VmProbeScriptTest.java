package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fixed VM probe script, run for real with the host's sh and curl against 127.0.0.1 only (curl
 * reads the host's trust store, never changes it), and its output parser.
 */
class VmProbeScriptTest {
    @Test
    void theCommandCarriesOnlyFixedWordsAndTheUrlsGoToStdin() {
        assertThat(VmProbeScript.command("debian")).startsWith("sh -c 'PATH=").endsWith("' vmtrust-doctor debian");
        assertThat(VmProbeScript.command("x; rm -rf /")).endsWith("' vmtrust-doctor unknown");
        assertThat(new String(
                        VmProbeScript.stdin(
                                List.of(URI.create("https://a.test/v2/"), URI.create("https://b.test:8443/"))),
                        StandardCharsets.US_ASCII))
                .isEqualTo("https://a.test/v2/\nhttps://b.test:8443/\n");
    }

    @Test
    void onlyPlainHttpsUrlsArePassedToAVm() {
        assertThat(ProbeChecks.safeForVm(URI.create("https://registry-1.docker.io/v2/")))
                .isTrue();
        assertThat(ProbeChecks.safeForVm(URI.create("https://[::1]:8443/a?b=c&d=%20")))
                .isTrue();
        assertThat(ProbeChecks.safeForVm(URI.create("https://x.test/it's"))).isFalse();
        assertThat(ProbeChecks.safeForVm(URI.create("http://x.test/"))).isFalse();
    }

    @Test
    void parsesToolAndProbeLinesAndIgnoresTheRest() {
        VmProbeScript.Result r = VmProbeScript.parse(
                "noise\nvmtrust: tool trust missing\nvmtrust: probe 1 0 \n"
                        + "vmtrust: probe 2 60 curl: (60) SSL certificate problem\nvmtrust: probe 3 no-curl\nvmtrust: probe x 1\n");
        assertThat(r.tool()).contains("trust");
        assertThat(r.toolFound()).isFalse();
        assertThat(r.probes())
                .containsEntry(1, new VmProbeScript.Answer(0, ""))
                .containsEntry(2, new VmProbeScript.Answer(60, "curl: (60) SSL certificate problem"))
                .containsEntry(3, new VmProbeScript.Answer(-1, "curl is not installed in the VM"))
                .hasSize(3);
    }

    @Test
    void runByShItReportsCurlExit60ForAnUntrustedChainAnd7ForAClosedPort() throws Exception {
        dev.vmtrust.testing.Require.tool("the probe script test", "/usr/bin/curl", "/bin/curl");
        TestCerts.Issued ca = TestCerts.rootCa("CN=Probe Test Root");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", ca, "localhost"))) {
            List<URI> urls = List.of(
                    URI.create("https://localhost:" + server.port() + "/v2/"),
                    URI.create("https://127.0.0.1:" + closed + "/"));
            List<String> argv = new ArrayList<>(List.of("sh", "-c", VmProbeScript.SCRIPT, "vmtrust-doctor", "debian"));
            Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
            p.getOutputStream().write(VmProbeScript.stdin(urls));
            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            VmProbeScript.Result r = VmProbeScript.parse(out);
            assertThat(r.tool()).as(out).contains("update-ca-certificates");
            assertThat(r.probes().get(1).code()).as(out).isEqualTo(60);
            assertThat(r.probes().get(1).text()).startsWith("curl: (60) ");
            assertThat(r.probes().get(2).code()).as(out).isEqualTo(7);
            assertThat(server.heads()).isZero();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
