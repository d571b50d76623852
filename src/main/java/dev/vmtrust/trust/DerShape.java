package dev.vmtrust.trust;

/**
 * Looks at the first two or three ASN.1 tags of DER data, without parsing it, to tell a certificate from
 * a private key before anything is handed to a parser.
 *
 * <ul>
 *   <li>Certificate: SEQUENCE { SEQUENCE (tbs) { [0] version | INTEGER serial, ...}, ...}</li>
 *   <li>PKCS#1 RSA, SEC1 EC, DSA, PKCS#8, PKCS#12: SEQUENCE { INTEGER version, ...}</li>
 *   <li>Encrypted PKCS#8: SEQUENCE { SEQUENCE (algorithm) { OID, ...}, OCTET STRING }</li>
 * </ul>
 */
final class DerShape {
    enum Kind {
        CERTIFICATE,
        PRIVATE_KEY,
        OTHER
    }

    private DerShape() {}

    static Kind of(byte[] der) {
        if (der.length < 2 || (der[0] & 0xff) != 0x30) return Kind.OTHER;
        int inner = contentStart(der, 0);
        if (inner < 0 || inner >= der.length) return Kind.OTHER;
        int tag = der[inner] & 0xff;
        if (tag == 0x02) return Kind.PRIVATE_KEY;
        if (tag != 0x30) return Kind.OTHER;
        int first = contentStart(der, inner);
        if (first < 0 || first >= der.length) return Kind.OTHER;
        int t = der[first] & 0xff;
        if (t == 0xa0 || t == 0x02) return Kind.CERTIFICATE;
        if (t == 0x06) return Kind.PRIVATE_KEY;
        return Kind.OTHER;
    }

    /** Offset of the content of the TLV at {@code at}, or -1 when its header is cut short or too long. */
    private static int contentStart(byte[] der, int at) {
        if (at + 1 >= der.length) return -1;
        int len = der[at + 1] & 0xff;
        if (len < 0x80 || len == 0x80) return at + 2; // short form, or BER indefinite length
        int n = len & 0x7f;
        if (n > 4) return -1;
        return at + 2 + n < der.length ? at + 2 + n : -1;
    }
}
