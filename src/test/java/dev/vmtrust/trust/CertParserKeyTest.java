package dev.vmtrust.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Private keys next to CAs: named by type, never read, never echoed. */
class CertParserKeyTest {
    private static final String SRC = "file:/tmp/mixed.pem";
    private static final String ADVICE = "it was skipped and not read further. Keep private keys out of CA files.";
    private final TestCerts.Issued root = TestCerts.rootCa("CN=Corp Root,O=Corp");

    static Stream<Arguments> keys() {
        KeyPair ec = TestCerts.ecKeys();
        KeyPair rsa = TestCerts.rsaKeys();
        return Stream.of(
                Arguments.of("PRIVATE KEY", TestCerts.pkcs8Pem(ec)),
                Arguments.of("ENCRYPTED PRIVATE KEY", encryptedPkcs8Pem(rsa)),
                Arguments.of("RSA PRIVATE KEY", TestCerts.traditionalPem(rsa)),
                Arguments.of("EC PRIVATE KEY", TestCerts.traditionalPem(ec)),
                Arguments.of("RSA PRIVATE KEY", encryptedTraditionalPem(rsa)),
                Arguments.of("OPENSSH PRIVATE KEY", TestCerts.opensshPem()),
                Arguments.of(
                        "DSA PRIVATE KEY",
                        "-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQD0c2VjcmV0ZHNh\n-----END DSA PRIVATE KEY-----\n"),
                Arguments.of(
                        "ANY PRIVATE KEY",
                        "-----BEGIN ANY PRIVATE KEY-----\nMIIBuwIBAAKBgQD0c2VjcmV0YW55\n-----END ANY PRIVATE KEY-----\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void aFileWithACaAndAPrivateKeyYieldsTheCaAndNoByteOfTheKey(String type, String keyPem) {
        Screened<CaCert> r = CertParser.parse(
                (root.pem() + keyPem + root.pem()).getBytes(StandardCharsets.US_ASCII), SRC, Instant.now());

        assertThat(r.accepted()).containsExactly(root.cert(), root.cert());
        assertThat(r.rejected())
                .containsExactly(new Rejection(SRC, "block 2 is a private key (" + type + "); " + ADVICE));
        String shown = r.toString() + r.rejected() + r.accepted();
        for (String line : keyPem.split("\n"))
            if (!line.isBlank()) assertThat(shown).doesNotContain(line.strip());
        String body = body(keyPem);
        for (int i = 0; i + 12 <= body.length(); i += 12) assertThat(shown).doesNotContain(body.substring(i, i + 12));
    }

    @Test
    void aKeyWithoutEndLineStopsAtTheNextBeginAndIsStillAKey() {
        String key = TestCerts.pkcs8Pem(TestCerts.ecKeys()).replace("-----END PRIVATE KEY-----\n", "");
        Screened<CaCert> r =
                CertParser.parse((key + root.pem()).getBytes(StandardCharsets.US_ASCII), SRC, Instant.now());
        assertThat(r.accepted()).containsExactly(root.cert());
        assertThat(r.rejected())
                .extracting(Rejection::reason)
                .containsExactly("block 1 is a private key (PRIVATE KEY); " + ADVICE);
    }

    @Test
    void aCertificateBlockClosedByAPrivateKeyEndLineIsAKey() {
        String key = TestCerts.pkcs8Pem(TestCerts.ecKeys()).replace("BEGIN PRIVATE KEY", "BEGIN CERTIFICATE");
        Screened<CaCert> r = CertParser.parse(key.getBytes(StandardCharsets.US_ASCII), SRC, Instant.now());
        assertThat(r.rejected())
                .extracting(Rejection::reason)
                .containsExactly("block 1 is a private key (PRIVATE KEY); " + ADVICE);
        assertThat(r.toString()).doesNotContain(body(key).substring(0, 20));
    }

    @Test
    void aPrivateKeyLabelledAsCertificateIsRecognisedByItsShape() {
        String key = TestCerts.traditionalPem(TestCerts.rsaKeys()).replace("RSA PRIVATE KEY", "CERTIFICATE");
        Screened<CaCert> r = CertParser.parse(key.getBytes(StandardCharsets.US_ASCII), SRC, Instant.now());
        assertThat(r.rejected())
                .extracting(Rejection::reason)
                .containsExactly("block 1 is a private key (labelled CERTIFICATE); " + ADVICE);
        assertThat(r.toString()).doesNotContain(body(key).substring(0, 20));
    }

    @Test
    void aDerPrivateKeyIsRefusedAsAKey() {
        byte[] pkcs8 = TestCerts.ecKeys().getPrivate().getEncoded();
        Screened<CaCert> r = CertParser.parse(pkcs8, SRC, Instant.now());
        assertThat(r.rejected()).containsExactly(new Rejection(SRC, "DER data is a private key; " + ADVICE));
    }

    @Test
    void keyBlocksCarryNoTextOutOfTheScanner() {
        List<PemBlocks.Block> blocks = PemBlocks.scan(TestCerts.traditionalPem(TestCerts.ecKeys()) + root.pem());
        assertThat(blocks)
                .extracting(PemBlocks.Block::shape)
                .containsExactly(PemBlocks.Shape.PRIVATE_KEY, PemBlocks.Shape.CLOSED);
        assertThat(blocks.get(0).text()).isNull();
    }

    /** The base64 body of a PEM block, joined. */
    private static String body(String pem) {
        StringBuilder sb = new StringBuilder();
        for (String l : pem.split("\n"))
            if (!l.startsWith("-----") && !l.contains(":") && !l.isBlank()) sb.append(l.strip());
        return sb.toString();
    }

    /** Like TestCerts.encryptedPkcs8Pem, which fails: the builder wants a cipher OID (AES_256_CBC), not PBES2. */
    private static String encryptedPkcs8Pem(KeyPair k) {
        try {
            var enc = new JceOpenSSLPKCS8EncryptorBuilder(
                            new ASN1ObjectIdentifier(JceOpenSSLPKCS8EncryptorBuilder.AES_256_CBC))
                    .setProvider(new BouncyCastleProvider())
                    .setPassword("secret".toCharArray())
                    .build();
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(new JcaPKCS8Generator(k.getPrivate(), enc));
            }
            return sw.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encryptedTraditionalPem(KeyPair k) {
        try {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                w.writeObject(new JcaMiscPEMGenerator(
                        k.getPrivate(),
                        new JcePEMEncryptorBuilder("AES-128-CBC")
                                .setProvider(new BouncyCastleProvider())
                                .build("secret".toCharArray())));
            }
            return sw.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
