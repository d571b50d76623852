package dev.vmtrust.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.ASN1VisibleString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * OpenSSL's subject hash of a certificate ({@code openssl x509 -hash}, X509_NAME_hash_ex): the name
 * {@code openssl rehash} gives the certificate's link in a folder such as /etc/ssl/certs ({@code HASH.N}).
 * The in-VM script makes vmtrust's links itself with it, so no OpenSSL process runs in the VM for them.
 *
 * <p>Contract, as OpenSSL's x509_name_canon and asn1_string_canon (crypto/x509/x_name.c): each value of a
 * string type (UTF8, BMP, Universal, Printable, T61 read as Latin-1, IA5, Visible) becomes a UTF8String with
 * leading and trailing whitespace removed, inner runs of whitespace made one space and ASCII letters lowercased
 * (other bytes kept); other values stay as they are. Each RDN is DER-encoded as a SET (sorted) of SEQUENCE {type,
 * value}, the RDNs are concatenated without the outer SEQUENCE, and the hash is the first four bytes of the SHA-1
 * of that, little-endian, as eight hex digits. Checked against the real {@code openssl x509 -hash}.
 */
public final class SubjectHash {
    private SubjectHash() {}

    /** The eight lowercase hex digits {@code openssl x509 -hash -noout} prints for {@code cert}. */
    public static String of(CaCert cert) {
        return ofName(cert.x509().getSubjectX500Principal().getEncoded());
    }

    private static String ofName(byte[] nameDer) {
        ByteArrayOutputStream canon = new ByteArrayOutputStream();
        try {
            for (ASN1Encodable rdnValue : ASN1Sequence.getInstance(nameDer)) {
                ASN1EncodableVector entries = new ASN1EncodableVector();
                for (ASN1Encodable atvValue : ASN1Set.getInstance(rdnValue)) {
                    ASN1Sequence atv = ASN1Sequence.getInstance(atvValue);
                    entries.add(new DERSequence(new ASN1Encodable[] {
                        ASN1ObjectIdentifier.getInstance(atv.getObjectAt(0)),
                        canonical(atv.getObjectAt(1).toASN1Primitive())
                    }));
                }
                canon.write(new DERSet(entries).getEncoded(ASN1Encoding.DER)); // DER sorts the SET's members
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] md = sha1(canon.toByteArray());
        return HexFormat.of().formatHex(new byte[] {md[3], md[2], md[1], md[0]});
    }

    private static ASN1Primitive canonical(ASN1Primitive value) {
        String text = text(value);
        if (text == null) return value; // not a string type OpenSSL canonicalises: kept as it is
        byte[] folded = fold(text.getBytes(StandardCharsets.UTF_8));
        return new DERUTF8String(new String(folded, StandardCharsets.UTF_8));
    }

    /**
     * The characters of the string types in OpenSSL's ASN1_MASK_CANON as ASN1_STRING_to_UTF8 reads them (T61
     * and the one-byte types as Latin-1), or null for any other value.
     */
    private static String text(ASN1Primitive v) {
        if (v instanceof ASN1UTF8String s) return s.getString();
        if (v instanceof ASN1BMPString s) return s.getString();
        if (v instanceof ASN1UniversalString s) return new String(s.getOctets(), Charset.forName("UTF-32BE"));
        if (v instanceof ASN1PrintableString s) return new String(s.getOctets(), StandardCharsets.ISO_8859_1);
        if (v instanceof ASN1IA5String s) return new String(s.getOctets(), StandardCharsets.ISO_8859_1);
        if (v instanceof ASN1VisibleString s) return new String(s.getOctets(), StandardCharsets.ISO_8859_1);
        if (v instanceof ASN1T61String s) return new String(s.getOctets(), StandardCharsets.ISO_8859_1);
        return null;
    }

    /** asn1_string_canon on UTF-8 bytes: trim and collapse ASCII whitespace, lowercase ASCII letters. */
    private static byte[] fold(byte[] in) {
        int from = 0, to = in.length;
        while (from < to && space(in[from])) from++;
        while (to > from && space(in[to - 1])) to--;
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; ) {
            byte b = in[i];
            if (space(b)) {
                out.write(' ');
                while (i < to && space(in[i])) i++;
            } else {
                out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
                i++;
            }
        }
        return out.toByteArray();
    }

    /** ossl_isspace: space, \t, \n, \v, \f, \r. */
    private static boolean space(byte b) {
        return b == ' ' || (b >= 9 && b <= 13);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
