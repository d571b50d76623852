package dev.vmtrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our subject hash against the real {@code openssl x509 -hash} on names that exercise every canonical rule.
 * (OpenSSL cannot read a name holding a VisibleString or a non-string value at all, so no link is ever made
 * for one by {@code openssl rehash} either.)
 */
class SubjectHashTest {
    @TempDir
    Path tmp;

    static RDN rdn(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new RDN(type, value);
    }

    static Stream<X500Name> names() {
        return Stream.of(
                new X500Name("CN=Zscaler Root CA,OU=Zscaler Inc.,O=Zscaler Inc.,L=San Jose,ST=California,C=US"),
                new X500Name(new RDN[] {
                    rdn(BCStyle.C, new DERPrintableString("DE")),
                    rdn(BCStyle.O, new DERPrintableString("  ACME   Corp\t ")), // trimmed, collapsed
                    rdn(BCStyle.CN, new DERUTF8String("Zürich WURZEL  CA")) // non-ASCII kept, ASCII lowered
                }),
                new X500Name(new RDN[] {rdn(BCStyle.CN, new DERBMPString("Straße Root CA ÄÖÜ"))}),
                new X500Name(new RDN[] {rdn(BCStyle.CN, new DERT61String("Root\u00e9 CA"))}),
                new X500Name(new RDN[] {rdn(BCStyle.CN, new DERUniversalString(utf32("Univ Root \u00df")))}),
                new X500Name(new RDN[] {
                    rdn(BCStyle.DC, new DERIA5String("Example")),
                    rdn(BCStyle.DC, new DERIA5String("COM")),
                    rdn(BCStyle.EmailAddress, new DERIA5String("PKI@Example.COM")),
                    rdn(BCStyle.CN, new DERIA5String("IA5  Root"))
                }),
                new X500Name(new RDN[] { // a multi-valued RDN, members given out of DER order
                    new RDN(new AttributeTypeAndValue[] {
                        new AttributeTypeAndValue(BCStyle.OU, new DERUTF8String("Zeta Unit")),
                        new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("Multi Valued"))
                    }),
                    rdn(BCStyle.O, new DERUTF8String("Corp"))
                }),
                new X500Name(new RDN[] { // a string type outside OpenSSL's canonical set: kept as it is
                    rdn(BCStyle.SERIALNUMBER, new DERNumericString("0012 345")),
                    rdn(BCStyle.CN, new DERUTF8String("Odd"))
                }),
                new X500Name(new RDN[] {rdn(BCStyle.CN, new DERUTF8String("\n\u000b\f\r Spaces \r\n everywhere \t"))}));
    }

    private static byte[] utf32(String s) {
        return s.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void isWhatOpensslPrints(X500Name subject) throws Exception {
        CaCert cert = TestCerts.rootCa(subject).cert();
        Path pem = Files.writeString(tmp.resolve("c.pem"), cert.pem());

        Process p = new ProcessBuilder("openssl", "x509", "-hash", "-noout", "-in", pem.toString())
                .redirectErrorStream(true)
                .start();
        String openssl = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(openssl).isZero();

        assertThat(SubjectHash.of(cert))
                .as(subject.toString())
                .isEqualTo(openssl)
                .matches("[0-9a-f]{8}");
        assertThat(List.of(cert.x509().getSubjectX500Principal().getName())).isNotEmpty();
    }
}
