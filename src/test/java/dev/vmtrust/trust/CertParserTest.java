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
    void a_pem_ca_is_accepted_with_text_around_it() {
        Screened<CaCert> r = parse("Corp Root\n" + root.pem() + "trailing words\n");
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void crlf_line_endings_are_read() {
        Screened<CaCert> r = parse(root.pem().replace("\n", "\r\n"));
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void a_bundle_yields_every_ca_in_order() {
        TestCerts.Issued inter = TestCerts.intermediate("CN=Corp Issuing,O=Corp", root);
        Screened<CaCert> r = parse(root.pem() + "\n" + inter.pem());
        assertThat(r.accepted()).containsExactly(root.cert(), inter.cert());
    }

    @Test
    void a_der_certificate_is_accepted() {
        Screened<CaCert> r = CertParser.parse(root.der(), SRC, now);
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void x509_certificate_blocks_are_certificates_too() {
        Screened<CaCert> r = parse(root.pem().replace("CERTIFICATE-----", "X509 CERTIFICATE-----"));
        assertThat(r.accepted()).containsExactly(root.cert());
    }

    @Test
    void rejections_carry_the_source_label() {
        Screened<CaCert> r = parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThat(r.rejected()).containsExactly(
                new Rejection(SRC, "block 1 is a PUBLIC KEY, not a certificate; skipped"));
    }

    @Test
    void other_block_types_are_named_and_numbered_over_all_blocks() {
        String text = root.pem()
                + "-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n"
                + "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
                + "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"
                + "-----BEGIN <script>-----\nMIIB\n-----END <script>-----\n";
        assertThat(reasons(parse(text))).containsExactly(
                "block 2 is a X509 CRL, not a certificate; skipped",
                "block 3 is a CERTIFICATE REQUEST, not a certificate; skipped",
                "block 4 is a PUBLIC KEY, not a certificate; skipped",
                "block 5 is a block of unknown type, not a certificate; skipped");
    }

    @Test
    void a_leaf_is_not_a_ca() {
        TestCerts.Issued leaf = TestCerts.leaf("CN=host.test", root, "host.test");
        assertThat(reasons(parse(leaf.pem())))
                .containsExactly("\"CN=host.test\" is not a CA certificate (no basicConstraints CA); skipped");
    }

    @Test
    void an_expired_ca_is_skipped_with_its_end_date() {
        TestCerts.Issued old = TestCerts.rootCa("CN=Old Root",
                Instant.parse("2014-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(reasons(parse(old.pem())))
                .containsExactly("\"CN=Old Root\" expired on 2024-01-01T00:00:00Z; skipped");
    }

    @Test
    void a_ca_not_yet_valid_is_skipped_with_its_start_date() {
        TestCerts.Issued early = TestCerts.rootCa("CN=X",
                Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z"));
        assertThat(reasons(CertParser.parse(early.der(), SRC, Instant.parse("2026-01-01T00:00:00Z"))))
                .containsExactly("\"CN=X\" is not valid before 2030-01-01T00:00:00Z; skipped");
    }

    @Test
    void bad_base64_is_a_malformed_block() {
        String text = root.pem() + root.pem()
                + "-----BEGIN CERTIFICATE-----\nMII*not base64*\n-----END CERTIFICATE-----\n";
        Screened<CaCert> r = parse(text);
        assertThat(r.accepted()).hasSize(2);
        assertThat(reasons(r)).containsExactly("block 3 is not a valid certificate: bad base64");
    }

    @Test
    void der_that_is_not_a_certificate_is_a_malformed_block_with_bouncy_castles_short_reason() {
        // SEQUENCE { SEQUENCE { INTEGER 5 } }: certificate-shaped start, nothing else
        Screened<CaCert> r = parse("-----BEGIN CERTIFICATE-----\nMAUwAwIBBQ==\n-----END CERTIFICATE-----\n");
        assertThat(reasons(r)).containsExactly("block 1 is not a valid certificate: sequence wrong size for a certificate");
    }

    @Test
    void a_block_without_end_line_or_with_the_wrong_one_is_malformed() {
        String body = root.pem().replace("-----BEGIN CERTIFICATE-----\n", "").replace("-----END CERTIFICATE-----\n", "");
        String text = "-----BEGIN CERTIFICATE-----\n" + body + "-----END X509 CRL-----\n"
                + "-----BEGIN CERTIFICATE-----\n" + body;
        assertThat(reasons(parse(text))).containsExactly(
                "block 1 is not a valid certificate: END line does not match BEGIN",
                "block 2 is not a valid certificate: no END line");
    }

    @Test
    void input_without_any_certificate_says_so() {
        assertThat(parse("").rejected()).containsExactly(new Rejection(SRC, "no certificate found"));
        assertThat(reasons(parse("just some words\n"))).containsExactly("no certificate found");
        assertThat(reasons(CertParser.parse(new byte[] {1, 2, 3, (byte) 0xff}, SRC, now)))
                .containsExactly("no certificate found");
    }

    @Test
    void no_certificate_found_is_not_added_when_something_else_was_said() {
        assertThat(reasons(parse("-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n")))
                .containsExactly("block 1 is a X509 CRL, not a certificate; skipped");
    }

    @Test
    void der_data_that_is_not_a_certificate_is_refused() {
        assertThat(reasons(CertParser.parse(new byte[] {0x30, 0x03, 0x06, 0x01, 0x00}, SRC, now)))
                .containsExactly("DER data is not a certificate; skipped");
    }

    @Test
    void reasons_drop_long_encoded_runs() {
        assertThat(CertParser.shortReason(new IllegalStateException("bad thing near MIIBIjANBgkqhkiG9w0B end")))
                .isEqualTo("bad thing near ... end");
    }
}
