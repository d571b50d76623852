package dev.vmtrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.CollectionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 finding 12: PKCS#7 bundles (.p7b, .p7c), PEM and DER, yield their certificates and nothing else. */
class CertParserPkcs7Test {
    private static final String SRC = "file:/tmp/corp.p7b";
    private final Instant now = Instant.now();
    private final TestCerts.Issued root = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued issuing = TestCerts.intermediate("CN=Corp Issuing,O=Corp", root);

    @TempDir
    Path tmp;

    /** {@code openssl crl2pkcs7 -nocrl -certfile a.pem -certfile b.pem [-outform DER]}. */
    private byte[] openssl(boolean der, TestCerts.Issued... certs) throws Exception {
        List<String> argv = new ArrayList<>(List.of("openssl", "crl2pkcs7", "-nocrl"));
        for (int i = 0; i < certs.length; i++) {
            argv.addAll(List.of(
                    "-certfile",
                    Files.writeString(tmp.resolve(i + ".pem"), certs[i].pem()).toString()));
        }
        Path out = tmp.resolve(der ? "out.p7b.der" : "out.p7b");
        argv.addAll(List.of("-out", out.toString()));
        if (der) argv.addAll(List.of("-outform", "DER"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
        return Files.readAllBytes(out);
    }

    /** A certs-only SignedData built with Bouncy Castle, with a CRL beside the certificates. */
    private byte[] withCrl(TestCerts.Issued... certs) throws Exception {
        List<X509CertificateHolder> holders = new ArrayList<>();
        for (TestCerts.Issued c : certs) holders.add(new X509CertificateHolder(c.der()));
        X509CRLHolder crl = new X509v2CRLBuilder(new X509CertificateHolder(root.der()).getSubject(), new Date())
                .addCRLEntry(BigInteger.TEN, new Date(), 0)
                .build(new JcaContentSignerBuilder("SHA256withECDSA")
                        .build(root.keys().getPrivate()));
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addCertificates(new CollectionStore<>(holders));
        gen.addCRL(crl);
        return gen.generate(new CMSProcessableByteArray(new byte[0])).getEncoded();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static List<String> reasons(Screened<CaCert> r) {
        return r.rejected().stream().map(Rejection::reason).toList();
    }

    @Test
    void aPemP7bFromOpensslYieldsBothCas() throws Exception {
        byte[] p7b = openssl(false, root, issuing);
        assertThat(new String(p7b, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PKCS7-----\n");

        Screened<CaCert> r = CertParser.parse(p7b, SRC, now);

        assertThat(r.accepted()).containsExactly(root.cert(), issuing.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void aDerP7bFromOpensslYieldsBothCas() throws Exception {
        Screened<CaCert> r = CertParser.parse(openssl(true, root, issuing), SRC, now);

        assertThat(r.accepted()).containsExactly(root.cert(), issuing.cert());
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void aP7bBesidePemCertificatesIsReadToo() throws Exception {
        String text = root.pem() + new String(openssl(false, issuing), StandardCharsets.US_ASCII);

        Screened<CaCert> r = CertParser.parse(text.getBytes(StandardCharsets.US_ASCII), SRC, now);

        assertThat(r.accepted()).containsExactly(root.cert(), issuing.cert());
    }

    @Test
    void eachCertificateInsideGoesThroughTheCaAndExpiryChecksAndACrlIsNeverACertificate() throws Exception {
        TestCerts.Issued leaf = TestCerts.leaf("CN=proxy.corp.test", root, "proxy.corp.test");
        TestCerts.Issued old =
                TestCerts.rootCa("CN=Old Root,O=Corp", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] p7b = withCrl(root, leaf, old);

        for (Screened<CaCert> r : List.of(
                CertParser.parse(p7b, SRC, now),
                CertParser.parse(pem("PKCS7", p7b).getBytes(StandardCharsets.US_ASCII), SRC, now))) {
            assertThat(r.accepted()).containsExactly(root.cert());
            assertThat(reasons(r))
                    .containsExactly(
                            "\"CN=proxy.corp.test\" is not a CA certificate (no basicConstraints CA); skipped",
                            "\"CN=Old Root,O=Corp\" expired on " + old.cert().notAfter() + "; skipped");
            assertThat(r.rejected()).extracting(Rejection::source).containsOnly(SRC);
        }
    }

    @Test
    void aP7bWithoutCertificatesIsRefusedNamingTheFile() throws Exception {
        byte[] empty = withCrl();

        assertThat(CertParser.parse(empty, SRC, now).rejected())
                .containsExactly(new Rejection(SRC, "DER data is a PKCS #7 bundle with no certificates; skipped"));
        assertThat(CertParser.parse(pem("PKCS7", empty).getBytes(StandardCharsets.US_ASCII), SRC, now)
                        .rejected())
                .containsExactly(new Rejection(SRC, "block 1 is a PKCS #7 bundle with no certificates; skipped"));
        assertThat(CertParser.parse(openssl(true), SRC, now).rejected())
                .containsExactly(new Rejection(SRC, "DER data is a PKCS #7 bundle with no certificates; skipped"));
    }

    @Test
    void aPkcs7BlockThatIsNotSignedDataIsRefused() throws Exception {
        byte[] data = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    PKCSObjectIdentifiers.data, new DERTaggedObject(true, 0, new DEROctetString(root.der()))
                })
                .getEncoded();

        Screened<CaCert> r = CertParser.parse(pem("PKCS7", data).getBytes(StandardCharsets.US_ASCII), SRC, now);

        assertThat(r.accepted()).isEmpty();
        assertThat(reasons(r)).containsExactly("block 1 is not a valid PKCS #7 bundle: not signed data");
    }
}
