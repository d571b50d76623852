package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.doctor.TlsProbeResult.Outcome;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host probe against local HTTPS servers on 127.0.0.1 only. */
class HostTlsProbeTest {
    private static final TestCerts.Issued CORP = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private static final TestCerts.Issued OTHER = TestCerts.rootCa("CN=Other Root,O=Elsewhere");
    private final HostTlsProbe probe = new HostTlsProbe(LocalHttps.trusting(), Duration.ofSeconds(5));

    private static CaBundle set(TestCerts.Issued... cas) {
        return CaBundle.of(
                java.util.Arrays.stream(cas).map(TestCerts.Issued::cert).toList());
    }

    @Test
    void aChainIssuedByACaInTheSetVerifiesAndOneHeadIsSent() {
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", CORP, "localhost"))) {
            TlsProbeResult r = probe.probe(server.url("/v2/"), set(CORP));

            assertThat(r)
                    .isEqualTo(new TlsProbeResult(Outcome.TRUSTED_BY_SET, "HTTP 204", "CN=Corp Root,O=Corp", null));
            assertThat(server.heads()).isEqualTo(1);
        }
    }

    @Test
    void aServerSendingItsRootIsReportedWithTheRootFingerprint() {
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", OTHER, "localhost"), OTHER)) {
            TlsProbeResult r = probe.probe(server.url("/"), set(CORP));

            assertThat(r)
                    .isEqualTo(new TlsProbeResult(
                            Outcome.UNKNOWN_ISSUER,
                            null,
                            "CN=Other Root,O=Elsewhere",
                            OTHER.cert().sha256()));
            assertThat(server.heads()).as("no HEAD over an unverified chain").isZero();
        }
    }

    @Test
    void anIssuerOutsideTheSetAndThePublicRootsIsUnknown() {
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", OTHER, "localhost"))) {
            assertThat(probe.probe(server.url("/"), set(CORP)))
                    .isEqualTo(new TlsProbeResult(Outcome.UNKNOWN_ISSUER, null, "CN=Other Root,O=Elsewhere", null));
        }
    }

    @Test
    void aChainToAPublicRootIsTrustedPublic() {
        HostTlsProbe withPublic = new HostTlsProbe(LocalHttps.trusting(OTHER), Duration.ofSeconds(5));
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", OTHER, "localhost"))) {
            assertThat(withPublic.probe(server.url("/"), set(CORP)))
                    .isEqualTo(
                            new TlsProbeResult(Outcome.TRUSTED_PUBLIC, "HTTP 204", "CN=Other Root,O=Elsewhere", null));
        }
    }

    @Test
    void anExpiredLeafUnderACaInTheSetIsBroken() {
        Instant past = Instant.now().minus(Duration.ofDays(10));
        TestCerts.Issued expired =
                TestCerts.build("CN=localhost", CORP, false, past, past.plus(Duration.ofDays(1)), "localhost");
        try (LocalHttps server = LocalHttps.start(expired)) {
            TlsProbeResult r = probe.probe(server.url("/"), set(CORP));

            assertThat(r.outcome()).isEqualTo(Outcome.BROKEN);
            assertThat(r.issuer()).isEqualTo("CN=Corp Root,O=Corp");
            assertThat(r.detail()).isNotBlank();
        }
    }

    @Test
    void aClosedPortIsNoNetwork() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        TlsProbeResult r = probe.probe(URI.create("https://127.0.0.1:" + port + "/"), set(CORP));

        assertThat(r.outcome()).isEqualTo(Outcome.NO_NETWORK);
        assertThat(r.detail()).startsWith("cannot connect to 127.0.0.1:" + port + " (");
    }

    @Test
    void aServerThatNeverAnswersTimesOutQuickly() throws Exception {
        HostTlsProbe quick = new HostTlsProbe(LocalHttps.trusting(), Duration.ofMillis(300));
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            long t0 = System.nanoTime();
            TlsProbeResult r = quick.probe(URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/"), set(CORP));

            assertThat(r)
                    .isEqualTo(TlsProbeResult.failed(
                            Outcome.NO_NETWORK, "no answer from 127.0.0.1:" + silent.getLocalPort() + " within 300ms"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void theEmptySetVerifiesNothing() {
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", CORP, "localhost"))) {
            assertThat(probe.probe(server.url("/"), CaBundle.of(List.of())).outcome())
                    .isEqualTo(Outcome.UNKNOWN_ISSUER);
        }
    }
}
