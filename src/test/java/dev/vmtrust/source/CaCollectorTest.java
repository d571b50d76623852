package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.FakeSecurity;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCollectorTest {
    @TempDir
    Path dir;

    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued corpIssuing = TestCerts.intermediate("CN=Corp Issuing,O=Corp", corp);
    private final TestCerts.Issued publicRoot = TestCerts.rootCa("CN=Public Root,O=Public Trust");
    private final TestCerts.Issued publicIssuing =
            TestCerts.intermediate("CN=Public Issuing,O=Public Trust", publicRoot);

    private static TrustSource fixed(String name, Screened<SourcedCa> r) {
        return new TrustSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Screened<SourcedCa> read() {
                return r;
            }
        };
    }

    private static Screened<SourcedCa> found(String label, TestCerts.Issued... certs) {
        return new Screened<>(
                java.util.Arrays.stream(certs)
                        .map(c -> new SourcedCa(c.cert(), label))
                        .toList(),
                List.of());
    }

    @Test
    void theSameCaFromKeychainFileAndVendorFileIsOneCaWithThreeLabels() throws IOException {
        Path security = FakeSecurity.install(dir);
        Path kc = FakeSecurity.keychain(dir.resolve("System.keychain"), corp);
        Path file = Files.writeString(dir.resolve("corp.pem"), corp.pem() + corpIssuing.pem());
        Path vendor = Files.writeString(dir.resolve("nscacert.pem"), corp.pem());
        var keychain = new KeychainSource(
                new Config.Keychain(Config.Toggle.ON, security, List.of(kc), false),
                new ProcessRunner(),
                Clock.systemUTC());
        Clock clock = Clock.systemUTC();
        var collector = new CaCollector(
                List.of(
                        keychain,
                        FileSource.files(List.of(file), new CertFiles(), clock),
                        FileSource.vendor(List.of(vendor), new CertFiles(), clock)),
                null,
                Selection.all());

        CollectedSet c = collector.collect();
        assertThat(c.bundle()).isEqualTo(CaBundle.of(List.of(corp.cert(), corpIssuing.cert())));
        assertThat(c.labels())
                .isEqualTo(Map.of(
                        corp.cert().sha256(), List.of("keychain:" + kc, "file:" + file, "vendor:" + vendor),
                        corpIssuing.cert().sha256(), List.of("file:" + file)));
        assertThat(c.rejected()).isEmpty();
    }

    @Test
    void theBundleDoesNotDependOnSourceOrder() {
        var a = new CaCollector(
                List.of(fixed("k", found("keychain:/k", corp)), fixed("f", found("file:/f", corpIssuing))),
                null,
                Selection.all());
        var b = new CaCollector(
                List.of(fixed("f", found("file:/f", corpIssuing)), fixed("k", found("keychain:/k", corp))),
                null,
                Selection.all());
        assertThat(a.collect().bundle().pem()).isEqualTo(b.collect().bundle().pem());
        assertThat(a.collect().bundle().fingerprint())
                .isEqualTo(b.collect().bundle().fingerprint());
    }

    @Test
    void publicCasAreDroppedWithARejectionPerLabelAndCorporateOnesStay() {
        var sources = List.of(
                fixed("k", found("keychain:/k", publicRoot, corp)),
                fixed("f", found("file:/f", publicIssuing, corpIssuing, publicRoot)));
        CollectedSet c = new CaCollector(
                        sources, () -> new PublicRoots.Loaded(List.of(publicRoot.cert()), List.of()), Selection.all())
                .collect();
        assertThat(c.bundle()).isEqualTo(CaBundle.of(List.of(corp.cert(), corpIssuing.cert())));
        assertThat(c.rejected())
                .containsExactlyInAnyOrder(
                        new Rejection(
                                "keychain:/k", "\"CN=Public Root,O=Public Trust\": public root; VMs already trust it"),
                        new Rejection(
                                "file:/f", "\"CN=Public Root,O=Public Trust\": public root; VMs already trust it"),
                        new Rejection(
                                "file:/f",
                                "\"CN=Public Issuing,O=Public Trust\": chains to public root "
                                        + "\"CN=Public Root,O=Public Trust\"; VMs already trust it"));
    }

    @Test
    void includeAndExcludeApplyAfterThePublicFilterWithTheirReasons() {
        var sources = List.of(fixed("f", found("file:/f", corp, corpIssuing)));
        CollectedSet c = new CaCollector(sources, null, new Selection(List.of("corp"), List.of("issuing"))).collect();
        assertThat(c.bundle().certs()).containsExactly(corp.cert());
        assertThat(c.rejected())
                .containsExactly(new Rejection("file:/f", "\"CN=Corp Issuing,O=Corp\": excluded by \"issuing\""));

        CollectedSet none = new CaCollector(sources, null, new Selection(List.of("zscaler"), List.of())).collect();
        assertThat(none.bundle().isEmpty()).isTrue();
        assertThat(none.rejected())
                .extracting(Rejection::reason)
                .containsExactlyInAnyOrder(
                        "\"CN=Corp Root,O=Corp\": not matched by include",
                        "\"CN=Corp Issuing,O=Corp\": not matched by include");
    }

    @Test
    void sourceRejectionsAndPublicRootProblemsArePassedOnInOrder() {
        var broken = fixed("f", new Screened<>(List.of(), List.of(new Rejection("file:/x", "no certificate found"))));
        var problem =
                new PublicRoots.Loaded(List.of(), List.of(new Rejection("publicRoots:/b", "no certificate found")));
        CollectedSet c = new CaCollector(List.of(broken), () -> problem, Selection.all()).collect();
        assertThat(c.rejected())
                .containsExactly(
                        new Rejection("file:/x", "no certificate found"),
                        new Rejection("publicRoots:/b", "no certificate found"));
    }

    @Test
    void aSourceThatThrowsDoesNotHideTheOthers() {
        TrustSource bad = new TrustSource() {
            @Override
            public String name() {
                return "keychain";
            }

            @Override
            public Screened<SourcedCa> read() {
                throw new IllegalStateException("bug");
            }
        };
        CollectedSet c =
                new CaCollector(List.of(bad, fixed("f", found("file:/f", corp))), null, Selection.all()).collect();
        assertThat(c.bundle().certs()).containsExactly(corp.cert());
        assertThat(c.rejected())
                .containsExactly(
                        new Rejection("keychain", "failed unexpectedly: java.lang.IllegalStateException: bug"));
    }
}
