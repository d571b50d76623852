package dev.vmtrust.trust;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * The certificates of a PKCS#7 / CMS {@code SignedData} ({@code .p7b}, {@code .p7c}: what
 * {@code openssl crl2pkcs7 -nocrl} writes and what many IT departments hand out), strictly: only entries of
 * its {@code certificates} set that are X.509 certificates; CRLs, attribute certificates and other choices
 * are never read as certificates, and signatures are not checked (each certificate still goes through the
 * same CA and validity checks as any other). No I/O.
 */
final class Pkcs7 {
    /** DER of OID 1.2.840.113549.1.7.2 (signedData), as the first element of a ContentInfo. */
    private static final byte[] SIGNED_DATA_OID = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x02
    };

    /** Why the input is not usable PKCS#7; the message is shown after "is not valid PKCS #7 data: ". */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private Pkcs7() {}

    /** Whether DER data starts like a PKCS#7 SignedData ContentInfo: SEQUENCE { OID signedData, ... }. */
    static boolean looksLikeSignedData(byte[] der) {
        if (der.length < 2 + SIGNED_DATA_OID.length || (der[0] & 0xff) != 0x30) return false;
        int len = der[1] & 0xff;
        int at = len < 0x80 || len == 0x80 ? 2 : 2 + (len & 0x7f);
        return at + SIGNED_DATA_OID.length <= der.length
                && Arrays.equals(der, at, at + SIGNED_DATA_OID.length, SIGNED_DATA_OID, 0, SIGNED_DATA_OID.length);
    }

    /** The DER of each X.509 certificate in the SignedData's certificates set, in order; may be empty. */
    static List<byte[]> certificates(byte[] der) throws Invalid {
        try {
            ContentInfo info = ContentInfo.getInstance(der);
            if (!PKCSObjectIdentifiers.signedData.equals(info.getContentType())) throw new Invalid("not signed data");
            ASN1Set set = SignedData.getInstance(info.getContent()).getCertificates();
            List<byte[]> out = new ArrayList<>();
            if (set == null) return out;
            for (ASN1Encodable e : set) {
                // CertificateChoices: a plain SEQUENCE is a certificate; [0]..[3] tagged choices are other kinds
                if (e.toASN1Primitive() instanceof ASN1Sequence s)
                    out.add(Certificate.getInstance(s).getEncoded());
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new Invalid(CertParser.shortReason(e));
        }
    }
}
