package dev.vmtrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.CertificateTrustBlock;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.junit.jupiter.api.Test;

/** OpenSSL TRUSTED CERTIFICATE blocks: accepted only when their trust settings allow TLS servers. */
class TrustedCertificateTest {
    private final TestCerts.Issued root = TestCerts.rootCa("CN=Corp Root,O=Corp");

    private String trusted(Set<ASN1ObjectIdentifier> uses, Set<ASN1ObjectIdentifier> prohibited) throws Exception {
        var block = new X509TrustedCertificateBlock(
                new X509CertificateHolder(root.der()), new CertificateTrustBlock("corp", uses, prohibited));
        return "-----BEGIN TRUSTED CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(block.getEncoded())
                + "\n-----END TRUSTED CERTIFICATE-----\n";
    }

    private Screened<CaCert> parse(String text) {
        return CertParser.parse(text.getBytes(StandardCharsets.US_ASCII), "file:/t.pem", Instant.now());
    }

    @Test
    void aTrustedCertificateForTlsServersIsAcceptedAsItsCertificate() throws Exception {
        Screened<CaCert> r = parse(trusted(Set.of(KeyPurposeId.id_kp_serverAuth.toOID()), Set.of()));
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void aTrustedCertificateWithoutUsesIsAccepted() throws Exception {
        assertThat(parse(trusted(Set.of(), Set.of())).accepted()).containsExactly(root.cert());
    }

    @Test
    void aTrustedCertificateWithProhibitionsOrOtherUsesIsRefused() throws Exception {
        String reason =
                "block 1 is a TRUSTED CERTIFICATE whose OpenSSL trust settings do not allow TLS server use; skipped";
        assertThat(parse(trusted(Set.of(), Set.of(KeyPurposeId.id_kp_serverAuth.toOID())))
                        .rejected())
                .extracting(Rejection::reason)
                .containsExactly(reason);
        assertThat(parse(trusted(Set.of(KeyPurposeId.id_kp_emailProtection.toOID()), Set.of()))
                        .rejected())
                .extracting(Rejection::reason)
                .containsExactly(reason);
    }
}
