package dev.vmtrust.source;

import java.util.Locale;

/**
 * The p11-kit persistence format ({@code .p11-kit} files: Fedora's ca-bundle.trust.p11-kit, openSUSE's
 * /usr/share/pki/trust/*.p11-kit, Arch's mozilla.trust.p11-kit). A file is a list of sections, each
 * starting with a line {@code [p11-kit-object-v1]}, holding {@code name: value} attribute lines and PEM
 * blocks. Contract of {@link #trustedCertificates}: the {@code CERTIFICATE} PEM blocks (other block types are
 * never copied; {@link dev.vmtrust.trust.CertParser} then parses the text strictly) of sections with {@code class: certificate}, {@code trusted: true} and
 * no {@code x-distrusted: true}, concatenated; everything else (distrusted entries, certificate extensions
 * with their PUBLIC KEY blocks, other object classes, comments) is left out. No I/O; never throws.
 * Not modelled: extension objects that narrow a trusted root to e-mail use (Mozilla's few e-mail-only roots
 * count as trusted); that only ever widens the reference, and a corporate CA does not chain to those.
 */
final class P11KitFile {
    private static final String SECTION = "[p11-kit-object-v1]";

    private P11KitFile() {}

    static String trustedCertificates(String text) {
        StringBuilder out = new StringBuilder();
        Section s = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String t = line.strip();
            if (t.startsWith("[")) {
                if (s != null) s.emit(out);
                s = t.equals(SECTION) ? new Section() : null; // an unknown section type is skipped whole
                continue;
            }
            if (s == null) continue;
            if (s.inPem) {
                if (s.keep) s.pem.append(t).append('\n');
                if (t.startsWith("-----END ")) s.inPem = false;
            } else if (t.startsWith("-----BEGIN ")) {
                s.inPem = true;
                s.keep = t.equals("-----BEGIN CERTIFICATE-----"); // never copies key or other material
                if (s.keep) s.pem.append(t).append('\n');
            } else if (!t.startsWith("#")) {
                int colon = t.indexOf(':');
                if (colon > 0)
                    s.attribute(
                            t.substring(0, colon).strip(),
                            t.substring(colon + 1).strip());
            }
        }
        if (s != null) s.emit(out);
        return out.toString();
    }

    private static final class Section {
        boolean certificate;
        boolean trusted;
        boolean distrusted;
        boolean inPem;
        boolean keep;
        final StringBuilder pem = new StringBuilder();

        void attribute(String name, String value) {
            String v = value.toLowerCase(Locale.ROOT);
            switch (name.toLowerCase(Locale.ROOT)) {
                case "class" -> certificate = v.equals("certificate");
                case "trusted" -> trusted = v.equals("true");
                case "x-distrusted" -> distrusted = v.equals("true");
                default -> {}
            }
        }

        void emit(StringBuilder out) {
            if (certificate && trusted && !distrusted) out.append(pem);
        }
    }
}
