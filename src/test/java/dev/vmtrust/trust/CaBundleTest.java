package dev.vmtrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaBundleTest {
    private final CaCert a = TestCerts.rootCa("CN=Corp Root A,O=Corp").cert();
    private final CaCert b = TestCerts.rootCa("CN=Corp Root B,O=Corp").cert();

    @Test
    void sortsByFingerprintAndDropsDuplicates() {
        CaBundle bundle = CaBundle.of(List.of(b, a, b, CaCert.fromDer(a.der())));
        assertThat(bundle.size()).isEqualTo(2);
        assertThat(bundle.certs().get(0).sha256())
                .isLessThan(bundle.certs().get(1).sha256());
    }

    @Test
    void fingerprintIsSha256OverSortedFingerprintsEachFollowedByNewline() throws Exception {
        CaBundle bundle = CaBundle.of(List.of(b, a));
        List<String> fps = bundle.certs().stream().map(CaCert::sha256).toList();
        String text = fps.get(0) + "\n" + fps.get(1) + "\n";
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(bundle.fingerprint()).isEqualTo(expected);
        assertThat(bundle.label()).isEqualTo("sha256:" + expected);
    }

    @Test
    void pemOutputIsIdenticalWhateverTheInputOrder() {
        assertThat(CaBundle.of(List.of(a, b)).pem())
                .isEqualTo(CaBundle.of(List.of(b, a)).pem());
        assertThat(CaBundle.of(List.of(a, b)).pem())
                .startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("-----END CERTIFICATE-----\n")
                .doesNotContain("\r");
    }

    @Test
    void certificateFactsAreReadFromTheDer() {
        TestCerts.Issued root = TestCerts.rootCa("CN=Corp Root,O=Corp");
        TestCerts.Issued inter = TestCerts.intermediate("CN=Corp Issuing,O=Corp", root);
        TestCerts.Issued leaf = TestCerts.leaf("CN=host.test", inter, "host.test");
        assertThat(root.cert().isCa()).isTrue();
        assertThat(root.cert().selfSigned()).isTrue();
        assertThat(inter.cert().selfSigned()).isFalse();
        assertThat(inter.cert().signedBy(root.cert())).isTrue();
        assertThat(leaf.cert().isCa()).isFalse();
        assertThat(inter.cert().subject()).isEqualTo("CN=Corp Issuing,O=Corp");
        assertThat(inter.cert().issuer()).isEqualTo("CN=Corp Root,O=Corp");
        assertThat(root.cert().sha256()).hasSize(64).matches("[0-9a-f]+");
        assertThat(root.cert().fp16()).isEqualTo(root.cert().sha256().substring(0, 16));
    }

    @Test
    void emptyBundleHasTheFingerprintOfEmptyText() {
        assertThat(CaBundle.empty().fingerprint())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
