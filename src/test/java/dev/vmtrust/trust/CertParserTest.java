package dev.vmtrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertParserTest {
    private static final String SRC = "file:/tmp/ca.pem";
    private final Instant now = Instant.now();
    private final TestCerts.Issued root = TestCerts.rootCa("CN=Corp Root,O=Corp");

    private Screened<CaCert> parse(String text) {
        return CertParser.parse(text.getBytes(StandardCharsets.US_ASCII), SRC, now);
    }

    private static List<String> reasons(Screened<CaCert> r) {
        return r.rejected().stream().map(Rejection::reason).toList();
    }

    @Test
    void aPemCaIsAcceptedWithTextAroundIt() {
        Screened<CaCert> r = parse("Corp Root\n" + root.pem() + "trailing words\n");
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void crlfLineEndingsAreRead() {
        Screened<CaCert> r = parse(root.pem().replace("\n", "\r\n"));
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void aBundleYieldsEveryCaInOrder() {
        TestCerts.Issued inter = TestCerts.intermediate("CN=Corp Issuing,O=Corp", root);
        Screened<CaCert> r = parse(root.pem() + "\n" + inter.pem());
        assertThat(r.accepted()).containsExactly(root.cert(), inter.cert());
    }

    @Test
    void aDerCertificateIsAccepted() {
        Screened<CaCert> r = CertParser.parse(root.der(), SRC, now);
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void x509CertificateBlocksAreCertificatesToo() {
        Screened<CaCert> r = parse(root.pem().replace("CERTIFICATE-----", "X509 CERTIFICATE-----"));
        assertThat(r.accepted()).containsExactly(root.cert());
    }

    @Test
    void rejectionsCarryTheSourceLabel() {
        Screened<CaCert> r = parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThat(r.rejected())
                .containsExactly(new Rejection(SRC, "block 1 is a PUBLIC KEY, not a certificate; skipped"));
    }

    @Test
    void otherBlockTypesAreNamedAndNumberedOverAllBlocks() {
        String text = root.pem()
                + "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n"
                + "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
                + "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"
                + "-----BEGIN <script>-----\nMIIB\n-----END <script>-----\n";
        assertThat(reasons(parse(text)))
                .containsExactly(
                        "block 2 is a X509 CRL, not a certificate; skipped",
                        "block 3 is a CERTIFICATE REQUEST, not a certificate; skipped",
                        "block 4 is a PUBLIC KEY, not a certificate; skipped",
                        "block 5 is a block of unknown type, not a certificate; skipped");
    }

    @Test
    void aLeafIsNotACa() {
        TestCerts.Issued leaf = TestCerts.leaf("CN=host.test", root, "host.test");
        assertThat(reasons(parse(leaf.pem())))
                .containsExactly("\"CN=host.test\" is not a CA certificate (no basicConstraints CA); skipped");
    }

    @Test
    void anExpiredCaIsSkippedWithItsEndDate() {
        TestCerts.Issued old = TestCerts.rootCa(
                "CN=Old Root", Instant.parse("2014-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(reasons(parse(old.pem())))
                .containsExactly("\"CN=Old Root\" expired on 2024-01-01T00:00:00Z; skipped");
    }

    @Test
    void aCaNotYetValidIsSkippedWithItsStartDate() {
        TestCerts.Issued early =
                TestCerts.rootCa("CN=X", Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z"));
        assertThat(reasons(CertParser.parse(early.der(), SRC, Instant.parse("2026-01-01T00:00:00Z"))))
                .containsExactly("\"CN=X\" is not valid before 2030-01-01T00:00:00Z; skipped");
    }

    @Test
    void badBase64IsAMalformedBlock() {
        String text =
                root.pem() + root.pem() + "-----BEGIN CERTIFICATE-----\nMII*not base64*\n-----END CERTIFICATE-----\n";
        Screened<CaCert> r = parse(text);
        assertThat(r.accepted()).hasSize(2);
        assertThat(reasons(r)).containsExactly("block 3 is not a valid certificate: bad base64");
    }

    @Test
    void derThatIsNotACertificateIsAMalformedBlockWithBouncyCastlesShortReason() {
        // SEQUENCE { SEQUENCE { INTEGER 5 } }: certificate-shaped start, nothing else
        Screened<CaCert> r = parse("-----BEGIN CERTIFICATE-----\nMAUwAwIBBQ==\n-----END CERTIFICATE-----\n");
        assertThat(reasons(r))
                .containsExactly("block 1 is not a valid certificate: sequence wrong size for a certificate");
    }

    @Test
    void aBlockWithoutEndLineOrWithTheWrongOneIsMalformed() {
        String body =
                root.pem().replace("-----BEGIN CERTIFICATE-----\n", "").replace("-----END CERTIFICATE-----\n", "");
        String text = "-----BEGIN CERTIFICATE-----\n" + body + "-----END X509 CRL-----\n"
                + "-----BEGIN CERTIFICATE-----\n" + body;
        assertThat(reasons(parse(text)))
                .containsExactly(
                        "block 1 is not a valid certificate: END line does not match BEGIN",
                        "block 2 is not a valid certificate: no END line");
    }

    @Test
    void inputWithoutAnyCertificateSaysSo() {
        assertThat(parse("").rejected()).containsExactly(new Rejection(SRC, "no certificate found"));
        assertThat(reasons(parse("just some words\n"))).containsExactly("no certificate found");
        assertThat(reasons(CertParser.parse(new byte[] {1, 2, 3, (byte) 0xff}, SRC, now)))
                .containsExactly("no certificate found");
    }

    @Test
    void noCertificateFoundIsNotAddedWhenSomethingElseWasSaid() {
        assertThat(reasons(parse("-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n")))
                .containsExactly("block 1 is a X509 CRL, not a certificate; skipped");
    }

    @Test
    void derDataThatIsNotACertificateIsRefused() {
        assertThat(reasons(CertParser.parse(new byte[] {0x30, 0x03, 0x06, 0x01, 0x00}, SRC, now)))
                .containsExactly("DER data is not a certificate; skipped");
    }

    @Test
    void reasonsDropLongEncodedRuns() {
        assertThat(CertParser.shortReason(new IllegalStateException("bad thing near MIIBIjANBgkqhkiG9w0B end")))
                .isEqualTo("bad thing near ... end");
    }
}
