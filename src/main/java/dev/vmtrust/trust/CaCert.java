package dev.vmtrust.trust;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;

/**
 * One certificate, identified by the SHA-256 of its DER encoding. Immutable.
 * Built only by {@link CertParser} (strict) or by {@link #fromDer(byte[])} for DER already checked.
 */
public final class CaCert implements Comparable<CaCert> {
    private final byte[] der;
    private final X509Certificate x509;
    private final String sha256;

    private CaCert(byte[] der, X509Certificate x509) {
        this.der = der.clone();
        this.x509 = x509;
        this.sha256 = sha256Hex(der);
    }

    /** Parses DER; throws IllegalArgumentException when it is not an X.509 certificate. */
    public static CaCert fromDer(byte[] der) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
            return new CaCert(der, c);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    public byte[] der() {
        return der.clone();
    }

    public X509Certificate x509() {
        return x509;
    }
    /** Lowercase hex SHA-256 of the DER encoding (64 digits). */
    public String sha256() {
        return sha256;
    }
    /** The first 16 hex digits of {@link #sha256()}: the in-VM file name part. */
    public String fp16() {
        return sha256.substring(0, 16);
    }
    /** RFC 2253 form, e.g. {@code CN=Corp Root,O=Corp}. */
    public String subject() {
        return x509.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    public String issuer() {
        return x509.getIssuerX500Principal().getName(X500Principal.RFC2253);
    }

    public Instant notBefore() {
        return x509.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return x509.getNotAfter().toInstant();
    }
    /** basicConstraints present with cA=TRUE. */
    public boolean isCa() {
        return x509.getBasicConstraints() >= 0;
    }

    public boolean selfSigned() {
        if (!x509.getSubjectX500Principal().equals(x509.getIssuerX500Principal())) return false;
        return signedBy(this);
    }
    /** True when {@code issuer}'s name matches this certificate's issuer and its key verifies the signature. */
    public boolean signedBy(CaCert issuer) {
        if (!x509.getIssuerX500Principal().equals(issuer.x509.getSubjectX500Principal())) return false;
        try {
            x509.verify(issuer.x509.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public boolean validAt(Instant t) {
        return !t.isBefore(notBefore()) && !t.isAfter(notAfter());
    }

    /** PEM with 64-column base64 lines and LF endings; deterministic. */
    public String pem() {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int compareTo(CaCert o) {
        return sha256.compareTo(o.sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaCert c && Arrays.equals(der, c.der);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "sha256:" + fp16() + " " + subject();
    }
}
