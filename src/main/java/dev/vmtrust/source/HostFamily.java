package dev.vmtrust.source;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Linux host's trust store layout, per distro family (../shared/reference/linux-host.md): where locally
 * added anchors go, which folders distrust, where the distro's shipped (Mozilla) roots are, and the refresh
 * tool. All paths are absolute as on the host; readers resolve them under a root prefix (tests; production
 * {@code /}). Chosen from {@code /etc/os-release} {@code ID}, then each {@code ID_LIKE} word, as the in-VM
 * script does; a file that names no known family falls back to the first family whose anchors folder exists.
 */
public enum HostFamily {
    /** Debian, Ubuntu: one PEM per {@code .crt}, subfolders allowed; /etc/ca-certificates.conf selects the rest. */
    DEBIAN(
            "Debian/Ubuntu",
            "Debian's",
            List.of("/usr/local/share/ca-certificates"),
            true,
            List.of(),
            List.of(),
            "update-ca-certificates",
            "/usr/share/ca-certificates/mozilla"),
    /** Alpine: the same tool and layout, but its update-ca-certificates ignores subfolders. */
    ALPINE(
            "Alpine",
            "Alpine's",
            List.of("/usr/local/share/ca-certificates"),
            false,
            List.of(),
            List.of(),
            "update-ca-certificates",
            "/usr/share/ca-certificates/mozilla"),
    /** Fedora, RHEL and rebuilds: p11-kit trust sources; blocklist/ (older: blacklist/) distrusts. */
    FEDORA(
            "Fedora/RHEL",
            "Fedora's",
            List.of("/etc/pki/ca-trust/source/anchors", "/usr/share/pki/ca-trust-source/anchors"),
            false,
            List.of("/etc/pki/ca-trust/source"),
            List.of(
                    "/etc/pki/ca-trust/source/blocklist", "/etc/pki/ca-trust/source/blacklist",
                    "/usr/share/pki/ca-trust-source/blocklist", "/usr/share/pki/ca-trust-source/blacklist"),
            "update-ca-trust extract",
            "/usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit"),
    /** openSUSE, SLES: p11-kit trust sources under /etc/pki/trust and /usr/share/pki/trust. */
    SUSE(
            "openSUSE",
            "openSUSE's",
            List.of("/etc/pki/trust/anchors", "/usr/share/pki/trust/anchors"),
            false,
            List.of("/etc/pki/trust"),
            List.of(
                    "/etc/pki/trust/blocklist",
                    "/etc/pki/trust/blacklist",
                    "/usr/share/pki/trust/blocklist",
                    "/usr/share/pki/trust/blacklist"),
            "update-ca-certificates",
            "/usr/share/pki/trust"),
    /** Arch and derivatives: p11-kit trust sources under /etc/ca-certificates and /usr/share/ca-certificates. */
    ARCH(
            "Arch",
            "Arch's",
            List.of("/etc/ca-certificates/trust-source/anchors", "/usr/share/ca-certificates/trust-source/anchors"),
            false,
            List.of("/etc/ca-certificates/trust-source"),
            List.of("/etc/ca-certificates/trust-source/blocklist", "/usr/share/ca-certificates/trust-source/blocklist"),
            "update-ca-trust",
            "/usr/share/ca-certificates/trust-source/mozilla.trust.p11-kit"),
    /** No known layout: nothing is read, and nothing is dropped as public for want of a shipped set. */
    UNKNOWN("unknown", "no", List.of(), false, List.of(), List.of(), "", "");

    public static final String OS_RELEASE = "/etc/os-release";
    public static final String DEBIAN_CONF = "/etc/ca-certificates.conf";
    public static final String DEBIAN_SHARE = "/usr/share/ca-certificates";

    private final String displayName;
    private final String possessive;
    private final List<String> anchorDirs;
    private final boolean subfolders;
    private final List<String> trustedCertDirs;
    private final List<String> blocklistDirs;
    private final String refreshTool;
    private final String shipped;

    HostFamily(
            String displayName,
            String possessive,
            List<String> anchorDirs,
            boolean subfolders,
            List<String> trustedCertDirs,
            List<String> blocklistDirs,
            String refreshTool,
            String shipped) {
        this.displayName = displayName;
        this.possessive = possessive;
        this.anchorDirs = anchorDirs;
        this.subfolders = subfolders;
        this.trustedCertDirs = trustedCertDirs;
        this.blocklistDirs = blocklistDirs;
        this.refreshTool = refreshTool;
        this.shipped = shipped;
    }

    public String displayName() {
        return displayName;
    }
    /** "Debian's", for "Debian's shipped set". */
    public String possessive() {
        return possessive;
    }
    /** Folders of locally added anchors (PEM or DER; Debian family: {@code *.crt} only), the first is where admins copy to. */
    public List<String> anchorDirs() {
        return anchorDirs;
    }
    /** Debian walks subfolders of its anchors folder; Alpine and p11-kit read one level only. */
    public boolean subfolders() {
        return subfolders;
    }
    /** p11-kit base folders whose own files may carry trust ({@code BEGIN TRUSTED CERTIFICATE}); subfolders are not read. */
    public List<String> trustedCertDirs() {
        return trustedCertDirs;
    }

    public List<String> blocklistDirs() {
        return blocklistDirs;
    }

    public String refreshTool() {
        return refreshTool;
    }
    /** The distro's shipped set: Debian's mozilla folder, or a p11-kit file, or (openSUSE) a folder of p11-kit files. */
    public String shipped() {
        return shipped;
    }

    public boolean debianLike() {
        return this == DEBIAN || this == ALPINE;
    }

    /** The usual fix: copy the root into the first anchors folder and run the refresh tool. */
    public String installCommand() {
        if (this == UNKNOWN) return "";
        return "sudo cp corp-root.crt " + anchorDirs.get(0) + "/ && sudo " + refreshTool;
    }

    /** The family of the host under {@code root} (see the class comment). */
    public static HostFamily detect(Path root) {
        for (String word : osReleaseWords(root)) {
            HostFamily f = ofWord(word);
            if (f != UNKNOWN) return f;
        }
        for (HostFamily f : values()) {
            if (f != UNKNOWN && f != ALPINE && Files.isDirectory(under(root, f.anchorDirs.get(0)))) return f;
        }
        return UNKNOWN;
    }

    static HostFamily ofWord(String id) {
        String w = id.toLowerCase(Locale.ROOT);
        if (w.equals("alpine")) return ALPINE;
        if (List.of("debian", "ubuntu", "linuxmint", "raspbian", "pop", "elementary", "kali")
                .contains(w)) return DEBIAN;
        if (List.of("fedora", "rhel", "centos", "rocky", "almalinux", "ol", "amzn", "scientific")
                .contains(w)) return FEDORA;
        if (w.startsWith("opensuse") || w.equals("suse") || w.equals("sles") || w.equals("sled")) return SUSE;
        if (List.of("arch", "manjaro", "endeavouros", "artix", "garuda").contains(w)) return ARCH;
        return UNKNOWN;
    }

    /** {@code ID} then the {@code ID_LIKE} words, unquoted; empty when the file is missing or odd (64 KiB cap). */
    static List<String> osReleaseWords(Path root) {
        CertFiles.Bytes b = new CertFiles().bytes(under(root, OS_RELEASE), "os-release", 64 * 1024);
        List<String> id = new ArrayList<>();
        List<String> like = new ArrayList<>();
        if (b.data() == null) return id;
        for (String line : new String(b.data(), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip().replace("\"", "").replace("'", "");
            if (key.equals("ID")) id.add(value);
            if (key.equals("ID_LIKE")) like.addAll(List.of(value.split("\\s+")));
        }
        id.addAll(like);
        return id;
    }

    /**
     * Like {@link #under}, or null when the name cannot be a path here: with no UTF-8 locale (an agent
     * started with an empty environment, {@code env -i}) the JDK refuses non-ASCII names such as Debian's
     * {@code NetLock_Arany_=Class_Gold=_Főtanúsítvány.crt}.
     */
    static Path resolve(Path root, String absolute) {
        try {
            return under(root, absolute);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** {@code absolute} (as on the host) resolved under {@code root}. */
    static Path under(Path root, String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }
}
