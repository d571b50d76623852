package dev.vmtrust.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Linux host trust store layouts built under a temporary root (never the machine's own store), as each
 * distro family lays them out (../shared/reference/linux-host.md): os-release, anchors, shipped sets.
 */
public final class HostLayouts {
    private final Path root;

    public HostLayouts(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** /etc/os-release with these ID and ID_LIKE values (ID_LIKE omitted when null). */
    public HostLayouts osRelease(String id, String idLike) {
        return write(
                "/etc/os-release",
                "NAME=\"Test\"\nID=" + id + "\n" + (idLike == null ? "" : "ID_LIKE=\"" + idLike + "\"\n"));
    }

    public HostLayouts write(String absolute, String text) {
        return write(absolute, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    public HostLayouts write(String absolute, byte[] data) {
        try {
            Path p = path(absolute);
            Files.createDirectories(p.getParent());
            Files.write(p, data);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HostLayouts dir(String absolute) {
        try {
            Files.createDirectories(path(absolute));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** One p11-kit object of class certificate, with these trust attributes, as p11-kit's own files hold them. */
    public static String p11Object(TestCerts.Issued c, boolean trusted, boolean distrusted) {
        return "[p11-kit-object-v1]\nclass: certificate\ncertificate-type: x-509\nlabel: \""
                + c.cert().subject() + "\"\n"
                + "trusted: " + trusted + "\n" + (distrusted ? "x-distrusted: true\n" : "")
                + "nss-mozilla-ca-policy: true\n"
                + "modifiable: false\n" + c.pem() + "\n";
    }

    /** A certificate-extension object with its PUBLIC KEY block, as Fedora's bundle carries next to roots. */
    public static String p11Extension(TestCerts.Issued c) {
        String key = Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(c.cert().x509().getPublicKey().getEncoded());
        return "[p11-kit-object-v1]\nclass: x-certificate-extension\nlabel: \""
                + c.cert().subject() + "\"\n"
                + "object-id: 2.5.29.37\nvalue: \"%30%0a\"\nmodifiable: false\n-----BEGIN PUBLIC KEY-----\n" + key
                + "\n-----END PUBLIC KEY-----\n\n";
    }

    /** OpenSSL's trusted-certificate form: the cert's DER followed by aux trust data (serverAuth trusted). */
    public static String trustedPem(TestCerts.Issued c) {
        byte[] der = c.der();
        // CertAux ::= SEQUENCE { trust [0]? no: SEQUENCE OF OBJECT IDENTIFIER } -> serverAuth 1.3.6.1.5.5.7.3.1
        byte[] aux = {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
        byte[] all = new byte[der.length + aux.length];
        System.arraycopy(der, 0, all, 0, der.length);
        System.arraycopy(aux, 0, all, der.length, aux.length);
        return "-----BEGIN TRUSTED CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(all)
                + "\n-----END TRUSTED CERTIFICATE-----\n";
    }
}
