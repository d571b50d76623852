package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.doctor.TlsProbeResult.Outcome;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 13: the probe's name lookup is bounded by the probe timeout. A fake resolver stands in
 * for DNS: no public name is ever looked up, and every connection goes to 127.0.0.1.
 */
class HostTlsProbeDnsTest {
    private static final TestCerts.Issued CORP = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private static final CaBundle SET = CaBundle.of(List.of(CORP.cert()));

    @Test
    void aLookupThatNeverAnswersIsGivenUpAtTheProbeTimeout() {
        CountDownLatch never = new CountDownLatch(1);
        HostResolver hangs = host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        };
        HostTlsProbe probe = new HostTlsProbe(LocalHttps.trusting(), Duration.ofMillis(300), hangs);

        long t0 = System.nanoTime();
        TlsProbeResult r = probe.probe(URI.create("https://registry.corp.test/v2/"), SET);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        never.countDown();

        assertThat(r)
                .isEqualTo(TlsProbeResult.failed(
                        Outcome.NO_NETWORK, "DNS lookup of registry.corp.test did not answer within 300ms"));
        assertThat(ms).isBetween(250L, 2000L);
    }

    @Test
    void theProbeConnectsToTheAddressTheResolverGave() {
        HostResolver loopback = host -> {
            if (!host.equals("registry.corp.test")) throw new UnknownHostException(host);
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        };
        HostTlsProbe probe = new HostTlsProbe(LocalHttps.trusting(), Duration.ofSeconds(5), loopback);
        try (LocalHttps server =
                LocalHttps.start(TestCerts.leaf("CN=registry.corp.test", CORP, "registry.corp.test"))) {
            TlsProbeResult r = probe.probe(URI.create("https://registry.corp.test:" + server.port() + "/v2/"), SET);

            assertThat(r)
                    .isEqualTo(new TlsProbeResult(Outcome.TRUSTED_BY_SET, "HTTP 204", "CN=Corp Root,O=Corp", null));
            assertThat(server.heads()).isEqualTo(1);
        }
    }

    @Test
    void aNameTheResolverDoesNotKnowIsReportedAsNotResolved() {
        HostResolver none = host -> {
            throw new UnknownHostException(host);
        };
        HostTlsProbe probe = new HostTlsProbe(LocalHttps.trusting(), Duration.ofSeconds(5), none);

        assertThat(probe.probe(URI.create("https://nowhere.corp.test/"), SET))
                .isEqualTo(TlsProbeResult.failed(Outcome.NO_NETWORK, "cannot resolve nowhere.corp.test"));
    }
}
