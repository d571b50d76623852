package dev.vmtrust.trust;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.CertificateTrustBlock;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;

/**
 * Strict certificate parsing: bytes in, CA certificates and reasons out; no I/O, never throws for bad
 * input. PEM (one or many blocks, LF or CRLF, text around blocks ignored) or a single DER certificate
 * (no {@code -----BEGIN}, first byte 0x30); PKCS#7 bundles ({@code .p7b}, {@code .p7c}) in either form,
 * {@code PKCS7} blocks or DER, each of their certificates checked like any other ({@link Pkcs7}).
 *
 * <p>Only {@code CERTIFICATE}, {@code X509 CERTIFICATE} and {@code TRUSTED CERTIFICATE} blocks, and the
 * certificates inside {@code PKCS7} blocks, can become certificates; a {@code TRUSTED CERTIFICATE} (OpenSSL
 * trust settings) only when those settings do not prohibit anything and allow TLS server use. Private
 * keys are found by scanning the text here ({@link PemBlocks}) before Bouncy Castle sees anything: their
 * lines are dropped unread, and no message ever carries block content. Accepted certificates are CAs (basicConstraints cA=TRUE) valid at {@code now}.
 */
public final class CertParser {
    static final String KEY_ADVICE = "it was skipped and not read further. Keep private keys out of CA files.";
    private static final Set<String> CERT_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE");
    /** RFC 7468's label, and the one some Windows tools write. */
    private static final Set<String> PKCS7_TYPES = Set.of("PKCS7", "PKCS #7 SIGNED DATA");

    private CertParser() {}

    public static Screened<CaCert> parse(byte[] data, String source, Instant now) {
        List<CaCert> cas = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        String text = new String(data, StandardCharsets.ISO_8859_1); // byte-for-char, never fails
        if (text.contains("-----BEGIN")) {
            for (PemBlocks.Block b : PemBlocks.scan(text)) readBlock(b, source, now, cas, rejected);
        } else if (data.length > 0 && (data[0] & 0xff) == 0x30) {
            readDer(data, source, now, cas, rejected);
        }
        if (cas.isEmpty() && rejected.isEmpty()) rejected.add(new Rejection(source, "no certificate found"));
        return new Screened<>(cas, rejected);
    }

    /** The CA and validity checks alone, for certificates that arrive already parsed. */
    public static Optional<String> check(CaCert c, Instant now) {
        if (!c.isCa()) return Optional.of(quoted(c) + " is not a CA certificate (no basicConstraints CA); skipped");
        if (now.isAfter(c.notAfter())) return Optional.of(quoted(c) + " expired on " + c.notAfter() + "; skipped");
        if (now.isBefore(c.notBefore()))
            return Optional.of(quoted(c) + " is not valid before " + c.notBefore() + "; skipped");
        return Optional.empty();
    }

    private static void readBlock(
            PemBlocks.Block b, String source, Instant now, List<CaCert> cas, List<Rejection> rejected) {
        String type = shown(b.type());
        String at = "block " + b.number();
        if (b.shape() == PemBlocks.Shape.PRIVATE_KEY) {
            rejected.add(new Rejection(source, at + " is a private key (" + type + "); " + KEY_ADVICE));
            return;
        }
        boolean pkcs7 = PKCS7_TYPES.contains(b.type());
        if (!CERT_TYPES.contains(b.type()) && !pkcs7) {
            rejected.add(new Rejection(source, at + " is a " + type + ", not a certificate; skipped"));
            return;
        }
        if (b.shape() != PemBlocks.Shape.CLOSED) {
            String why = b.shape() == PemBlocks.Shape.UNCLOSED ? "no END line" : "END line does not match BEGIN";
            rejected.add(new Rejection(source, at + " is not a valid certificate: " + why));
            return;
        }
        Optional<byte[]> body = base64Body(b.text());
        if (body.isEmpty()) {
            rejected.add(new Rejection(source, at + " is not a valid certificate: bad base64"));
            return;
        }
        if (DerShape.of(body.get()) == DerShape.Kind.PRIVATE_KEY) {
            rejected.add(new Rejection(source, at + " is a private key (labelled " + type + "); " + KEY_ADVICE));
            return;
        }
        if (pkcs7) {
            readPkcs7(body.get(), at, source, now, cas, rejected);
            return;
        }
        try (PEMParser p = new PEMParser(new StringReader(b.text()))) {
            Object o = p.readObject();
            X509CertificateHolder holder;
            if (o instanceof X509TrustedCertificateBlock t) {
                if (!allowsTlsServers(t.getTrustBlock())) {
                    rejected.add(new Rejection(
                            source,
                            at + " is a TRUSTED CERTIFICATE whose OpenSSL trust settings"
                                    + " do not allow TLS server use; skipped"));
                    return;
                }
                holder = t.getCertificateHolder();
            } else if (o instanceof X509CertificateHolder h) {
                holder = h;
            } else {
                rejected.add(new Rejection(source, at + " is not a valid certificate: empty block"));
                return;
            }
            accept(CaCert.fromDer(holder.getEncoded()), source, now, cas, rejected);
        } catch (IOException | RuntimeException e) {
            rejected.add(new Rejection(source, at + " is not a valid certificate: " + shortReason(e)));
        }
    }

    private static void readDer(byte[] data, String source, Instant now, List<CaCert> cas, List<Rejection> rejected) {
        if (Pkcs7.looksLikeSignedData(data)) {
            readPkcs7(data, "DER data", source, now, cas, rejected);
            return;
        }
        switch (DerShape.of(data)) {
            case PRIVATE_KEY -> rejected.add(new Rejection(source, "DER data is a private key; " + KEY_ADVICE));
            case OTHER -> rejected.add(new Rejection(source, "DER data is not a certificate; skipped"));
            case CERTIFICATE -> {
                try {
                    accept(CaCert.fromDer(new X509CertificateHolder(data).getEncoded()), source, now, cas, rejected);
                } catch (IOException | RuntimeException e) {
                    rejected.add(new Rejection(source, "DER data is not a valid certificate: " + shortReason(e)));
                }
            }
        }
    }

    /** {@code where}: "block 2" or "DER data". A bundle without certificates is refused with a reason. */
    private static void readPkcs7(
            byte[] der, String where, String source, Instant now, List<CaCert> cas, List<Rejection> rejected) {
        List<byte[]> certs;
        try {
            certs = Pkcs7.certificates(der);
        } catch (Pkcs7.Invalid e) {
            rejected.add(new Rejection(source, where + " is not a valid PKCS #7 bundle: " + e.getMessage()));
            return;
        }
        if (certs.isEmpty()) {
            rejected.add(new Rejection(source, where + " is a PKCS #7 bundle with no certificates; skipped"));
            return;
        }
        for (byte[] c : certs) {
            try {
                accept(CaCert.fromDer(c), source, now, cas, rejected);
            } catch (RuntimeException e) {
                rejected.add(
                        new Rejection(source, where + " holds a certificate that is not valid: " + shortReason(e)));
            }
        }
    }

    private static void accept(CaCert c, String source, Instant now, List<CaCert> cas, List<Rejection> rejected) {
        Optional<String> problem = check(c, now);
        if (problem.isPresent()) rejected.add(new Rejection(source, problem.get()));
        else cas.add(c);
    }

    /** OpenSSL trust: nothing prohibited, and uses either unset or naming TLS servers (or any purpose). */
    private static boolean allowsTlsServers(CertificateTrustBlock trust) {
        if (trust == null) return true;
        if (!trust.getProhibitions().isEmpty()) return false;
        Set<ASN1ObjectIdentifier> uses = trust.getUses();
        return uses.isEmpty()
                || uses.contains(KeyPurposeId.id_kp_serverAuth.toOID())
                || uses.contains(KeyPurposeId.anyExtendedKeyUsage.toOID());
    }

    /** Base64 of a CLOSED block's body (RFC 1421 header lines skipped), empty when it does not decode. */
    private static Optional<byte[]> base64Body(String blockText) {
        StringBuilder b64 = new StringBuilder();
        String[] lines = blockText.split("\n");
        for (int i = 1; i < lines.length - 1; i++) if (!lines[i].contains(":")) b64.append(lines[i].strip());
        try {
            byte[] der = Base64.getDecoder().decode(b64.toString());
            return der.length == 0 ? Optional.empty() : Optional.of(der);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String quoted(CaCert c) {
        return "\"" + c.subject() + "\"";
    }

    /** A block type as shown in messages: letters, digits and spaces only, at most 40 characters. */
    private static String shown(String type) {
        String t = type.length() > 40 ? type.substring(0, 40) : type;
        return t.matches("[A-Za-z0-9 ]+") ? t : "block of unknown type";
    }

    /**
     * The innermost exception message, with every run of 16 or more base64/hex characters cut out and at
     * most 100 characters kept, so a reason can never carry encoded content.
     */
    static String shortReason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        m = m.replaceAll("[A-Za-z0-9+/=]{16,}", "...").replaceAll("\\s+", " ").strip();
        return m.length() > 100 ? m.substring(0, 97) + "..." : m;
    }
}
