package dev.vmtrust.testing;

import dev.vmtrust.trust.CaCert;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test-only certificate factory: CAs, intermediates, leaves and private keys in every PEM form. */
public final class TestCerts {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffL);

    /** A certificate plus its key, for signing children. */
    public record Issued(CaCert cert, KeyPair keys) {
        public String pem() {
            return cert.pem();
        }

        public byte[] der() {
            return cert.der();
        }
    }

    private TestCerts() {}

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Self-signed root CA valid from an hour ago for ten years. */
    public static Issued rootCa(String dn) {
        Instant now = Instant.now();
        return build(dn, null, true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), null);
    }

    public static Issued rootCa(String dn, Instant notBefore, Instant notAfter) {
        return build(dn, null, true, notBefore, notAfter, null);
    }

    public static Issued intermediate(String dn, Issued parent) {
        Instant now = Instant.now();
        return build(dn, parent, true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1825)), null);
    }

    /** A leaf (server) certificate: basicConstraints cA=false, with a DNS SAN. */
    public static Issued leaf(String dn, Issued parent, String dnsName) {
        Instant now = Instant.now();
        return build(dn, parent, false, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), dnsName);
    }

    /** A root CA whose subject is built as given, for names no DN string can spell (newlines, quotes). */
    public static Issued rootCa(X500Name subject) {
        Instant now = Instant.now();
        return build(subject, null, true, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), null);
    }

    public static Issued build(String dn, Issued parent, boolean ca, Instant notBefore, Instant notAfter, String dns) {
        return build(
                X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded()),
                parent,
                ca,
                notBefore,
                notAfter,
                dns);
    }

    public static Issued build(
            X500Name subject, Issued parent, boolean ca, Instant notBefore, Instant notAfter, String dns) {
        try {
            KeyPair keys = ecKeys();
            X500Name issuer = parent == null
                    ? subject
                    : X500Name.getInstance(
                            parent.cert().x509().getSubjectX500Principal().getEncoded());
            PrivateKey signer =
                    parent == null ? keys.getPrivate() : parent.keys().getPrivate();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    keys.getPublic());
            b.addExtension(
                    Extension.basicConstraints, true, ca ? new BasicConstraints(true) : new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    ca
                            ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                            : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (dns != null)
                b.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
            return new Issued(CaCert.fromDer(h.getEncoded()), keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} self-signed CAs "CN=PREFIX i" sharing one EC key (fast: thousands per second), for scale tests. */
    public static java.util.List<CaCert> rootsSharingOneKey(int n, String prefix) {
        KeyPair keys = ecKeys();
        Instant from = Instant.now().minusSeconds(3600), to = Instant.now().plusSeconds(365L * 86400);
        java.util.List<CaCert> out = new java.util.ArrayList<>(n);
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            for (int i = 0; i < n; i++) {
                X500Name dn = new X500Name("CN=" + prefix + " " + i);
                JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                        dn,
                        BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(from),
                        Date.from(to),
                        dn,
                        keys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                out.add(CaCert.fromDer(b.build(signer).getEncoded()));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static String pkcs8Pem(KeyPair k) {
        try {
            return write(new JcaPKCS8Generator(k.getPrivate(), null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
    public static String encryptedPkcs8Pem(KeyPair k) {
        try {
            var enc = new JceOpenSSLPKCS8EncryptorBuilder(
                            new org.bouncycastle.asn1.ASN1ObjectIdentifier(JceOpenSSLPKCS8EncryptorBuilder.AES_256_CBC))
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPassword("secret".toCharArray())
                    .build();
            return write(new JcaPKCS8Generator(k.getPrivate(), enc));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Traditional OpenSSL form: {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}. */
    public static String traditionalPem(KeyPair k) {
        try {
            return write(new JcaMiscPEMGenerator(k));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OpenSSH private key block as ssh-keygen writes it (content is opaque to the parser). */
    public static String opensshPem() {
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
                + "QyNTUxOQAAACBRZWNyZXRLZXlNYXRlcmlhbFNob3VsZE5ldmVyTGVhaw==\n"
                + "-----END OPENSSH PRIVATE KEY-----\n";
    }

    private static String write(Object gen) {
        try {
            StringWriter sw = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
                if (gen instanceof org.bouncycastle.util.io.pem.PemObjectGenerator g) w.writeObject(g);
                else w.writeObject(gen);
            }
            return sw.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
