package dev.vmtrust.vm.script;

import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.SubjectHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-VM script (POSIX sh, template {@code vmtrust.sh} beside this class): one text for the
 * provision entry (run with no arguments at every boot, as root) and the SSH push (read from
 * stdin by {@link #command}). Contract: DESIGN.md "Inside a VM"; output grammar: {@link ScriptOutput}.
 *
 * <p>Only fixed template text, lowercase hex fingerprints, PEM text (base64 alphabet, checked
 * here) and sanitized subject comments enter the script, so nothing from a certificate can run.
 */
public final class VmScript {
    /** Line 1 of a rendered script, followed by the bundle hex and {@code ")"}. */
    public static final String MARKER_PREFIX = "# vmtrust: managed entry, do not edit (bundle sha256:";

    static final String PARTIAL_PREFIX = "# vmtrust: push over SSH (bundle sha256:";
    static final String OBSERVE_ONLY_HEADER = "# vmtrust: observe and remove only (no certificates)";

    private static final Pattern MARKER =
            Pattern.compile("\\A" + Pattern.quote(MARKER_PREFIX) + "([0-9a-f]{64})\\)\\r?(?:\\n|\\z)");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FP16 = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern HASH8 = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n");
    private static final int SUBJECT_MAX = 120;
    private static final String TEMPLATE = loadTemplate();
    /** The files containers.inject writes into the VM, by the name {@code ct_text} gives them in the script. */
    private static final Map<String, String> CONTAINER_FILES = loadContainerFiles();
    /** Ends each file's here-document; no file may hold it as a line (checked at load). */
    private static final String EOF_LINE = "VMTRUST_CONTAINER_FILE_EOF";
    /**
     * The containers part's version: the template and the files hashed, first 16 hex digits. The VM records it
     * in /etc/vmtrust/runtime/version, so a vmtrust that ships other files rewrites them once.
     */
    public static final String CONTAINERS_VERSION = containersVersion();

    private static final Pattern CT_WANT = Pattern.compile("^CT_WANT='on ([0-9a-f]{16})'$", Pattern.MULTILINE);

    /** What the host asks of a running VM over SSH. Provision mode (no arguments) is Lima's. */
    public enum Mode {
        OBSERVE,
        APPLY,
        REMOVE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private VmScript() {}

    /**
     * The script for {@code bundle}; byte-for-byte the same for the same bundle. Throws
     * IllegalArgumentException for an empty bundle (an empty set is never pushed).
     */
    public static String render(CaBundle bundle) {
        return render(bundle, null, false);
    }

    /**
     * {@link #render(CaBundle)} with {@code containers.inject}: with {@code injectContainers} the script also
     * carries the runtime wrapper's files and makes every docker container and build step in the VM trust the
     * set; without, it puts back what an earlier injection changed (README "Containers and builds").
     */
    public static String render(CaBundle bundle, boolean injectContainers) {
        return render(bundle, null, injectContainers);
    }

    /**
     * A push over SSH that carries only the PEMs of {@code carry} (fp16s; the VM has the others): the
     * whole set is still named, so the VM removes what is not in it and stamps the bundle. Not a
     * provision entry (its line 1 is not the marker). A VM that lacks a PEM not carried fails with
     * {@code needs-certificates}; the caller then sends {@link #render(CaBundle)}.
     */
    public static String renderCarrying(CaBundle bundle, java.util.Set<String> carry) {
        return renderCarrying(bundle, carry, false);
    }

    /** {@link #renderCarrying(CaBundle, java.util.Set)} with {@code containers.inject} as in {@link #render(CaBundle, boolean)}. */
    public static String renderCarrying(CaBundle bundle, java.util.Set<String> carry, boolean injectContainers) {
        return render(bundle, Objects.requireNonNull(carry, "carry"), injectContainers);
    }

    private static String render(CaBundle bundle, java.util.Set<String> carry, boolean injectContainers) {
        Objects.requireNonNull(bundle, "bundle");
        if (bundle.isEmpty()) throw new IllegalArgumentException("an empty CA set is never pushed to a VM");
        String hex = bundle.fingerprint();
        if (!HEX64.matcher(hex).matches()) throw new IllegalArgumentException("bad bundle fingerprint: " + hex);
        StringBuilder fps = new StringBuilder();
        StringBuilder certs = new StringBuilder();
        StringBuilder hashes = new StringBuilder();
        for (CaCert c : bundle.certs()) {
            String fp = c.fp16();
            if (!FP16.matcher(fp).matches()) throw new IllegalArgumentException("bad fingerprint: " + fp);
            String pem = c.pem();
            if (!PEM.matcher(pem).matches()) throw new IllegalArgumentException("unexpected PEM text for " + fp);
            if (fps.length() > 0) fps.append(' ');
            fps.append(fp);
            if (carry != null && !carry.contains(fp)) continue;
            certs.append("  # ")
                    .append(fp)
                    .append(' ')
                    .append(sanitize(c.subject()))
                    .append('\n')
                    .append("  ")
                    .append(fp)
                    .append(") printf '%s' '")
                    .append(pem)
                    .append("' ;;\n");
            String hash = SubjectHash.of(c);
            if (!HASH8.matcher(hash).matches()) throw new IllegalArgumentException("bad subject hash: " + hash);
            if (hashes.length() > 0) hashes.append(' ');
            hashes.append(fp).append(':').append(hash);
        }
        String header =
                carry == null ? MARKER_PREFIX + hex + ")" : PARTIAL_PREFIX + hex + "), carrying only what the VM lacks";
        return fill(header, hex, fps.toString(), hashes.toString(), certs.toString(), injectContainers);
    }

    /**
     * A script without certificates, for {@link Mode#OBSERVE} and {@link Mode#REMOVE} (fewer bytes);
     * {@code apply} and provision mode fail with {@code no-certificates}. Not a provision entry.
     */
    public static String withoutCertificates() {
        return fill(OBSERVE_ONLY_HEADER, "", "", "", "", false);
    }

    /** The bundle hex in line 1 of a script we rendered, or empty when line 1 is not our marker. */
    public static Optional<String> markerBundle(String scriptText) {
        if (scriptText == null) return Optional.empty();
        Matcher m = MARKER.matcher(scriptText);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** True when {@code scriptText} is one we rendered with containers.inject on (it carries the wrapper's files). */
    public static boolean injectsContainers(String scriptText) {
        return scriptText != null && CT_WANT.matcher(scriptText).find();
    }

    /**
     * Whether the containers part of a VM that observe showed ({@code seen}) is what {@code scriptText} asks for.
     * Asked on: in sync when the VM reports {@code containers on} this version, or when it has nothing installed
     * and runs no docker (nothing to do now; the provision entry does it at the next boot, a later sync once docker
     * runs). Asked off: in sync when nothing is installed, or only the passthrough that containers created while
     * it was on still need ({@code kept}). Anything else (broken, another version, unused) needs an apply.
     */
    public static boolean containersInSync(String scriptText, ScriptResult seen) {
        Optional<String> state = seen.containers();
        if (injectsContainers(scriptText)) {
            if (state.isEmpty()) return !seen.engines().contains("docker");
            return state.get().equals("on " + CONTAINERS_VERSION);
        }
        return state.isEmpty() || state.get().equals("kept");
    }

    /**
     * The remote command line, from fixed words only; the script goes to its stdin.
     * {@code policy} matters only for {@link Mode#APPLY} (null there means auto).
     */
    public static String command(Mode mode, RestartPolicy policy) {
        return String.join(" ", argv(mode, policy));
    }

    /** {@link #command} as words: {@code [sudo, -n, /bin/sh, -s, --, apply, auto]}. */
    public static List<String> argv(Mode mode, RestartPolicy policy) {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.APPLY) return List.of("sudo", "-n", "/bin/sh", "-s", "--", mode.word());
        RestartPolicy p = policy == null ? RestartPolicy.AUTO : policy;
        return List.of("sudo", "-n", "/bin/sh", "-s", "--", "apply", p.word());
    }

    /** Keeps {@code [A-Za-z0-9 .,=_@-]}, replaces every other character with {@code _}, caps length. */
    static String sanitize(String subject) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < subject.length() && sb.length() < SUBJECT_MAX; i++) {
            char ch = subject.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z')
                    || (ch >= 'a' && ch <= 'z')
                    || (ch >= '0' && ch <= '9')
                    || " .,=_@-".indexOf(ch) >= 0;
            sb.append(ok ? ch : '_');
        }
        return sb.toString();
    }

    // Placeholders are replaced in this order; the certificate text goes last so that nothing in
    // it (a sanitized subject may contain '@') is ever taken for a placeholder.
    private static String fill(
            String header, String hex, String fps, String hashes, String certs, boolean injectContainers) {
        String s = TEMPLATE.replace("@@HEADER@@", header)
                .replace("@@BUNDLE@@", hex)
                .replace("@@FPS@@", fps)
                .replace("@@HASHES@@", hashes)
                .replace("@@CT_WANT@@", injectContainers ? "on " + CONTAINERS_VERSION : "off")
                .replace("@@CT_FILES@@\n", injectContainers ? containerFiles() : "ct_text() { return 1; }\n");
        int at = s.indexOf("@@CERTS@@\n");
        return s.substring(0, at) + certs + s.substring(at + "@@CERTS@@\n".length());
    }

    /** {@code ct_text NAME}: each file as a quoted here-document, so the shell expands nothing in it. */
    private static String containerFiles() {
        StringBuilder sb = new StringBuilder("ct_text() {\n  case $1 in\n");
        CONTAINER_FILES.forEach((name, text) -> sb.append("    ")
                .append(name)
                .append(") cat <<'")
                .append(EOF_LINE)
                .append("'\n")
                .append(text)
                .append(EOF_LINE)
                .append("\n      ;;\n"));
        return sb.append("    *) return 1 ;;\n  esac\n}\n").toString();
    }

    private static Map<String, String> loadContainerFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("vmtrust_oci.py", resource("oci/vmtrust_oci.py"));
        files.put("dockerd-pre", resource("oci/dockerd-pre.sh"));
        files.put("runc", resource("oci/runc.sh"));
        files.forEach((name, text) -> {
            if (!text.endsWith("\n") || ("\n" + text).contains("\n" + EOF_LINE + "\n") || text.contains("@@"))
                throw new IllegalStateException("container file " + name + " cannot be carried in the script");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '\n' && (c < 0x20 || c > 0x7e))
                    throw new IllegalStateException(
                            "container file " + name + " has a character outside printable ASCII");
            }
        });
        return Collections.unmodifiableMap(files);
    }

    private static String containersVersion() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(TEMPLATE.getBytes(StandardCharsets.UTF_8));
            for (String text : CONTAINER_FILES.values()) md.update(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = VmScript.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadTemplate() {
        try (InputStream in = VmScript.class.getResourceAsStream("vmtrust.sh")) {
            if (in == null) throw new IllegalStateException("missing resource vmtrust.sh");
            String t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!t.startsWith("@@HEADER@@\n")
                    || !t.contains("@@CERTS@@\n")
                    || !t.contains("HASHES='@@HASHES@@'\n")
                    || !t.contains("@@CT_FILES@@\n")
                    || !t.contains("CT_WANT='@@CT_WANT@@'\n"))
                throw new IllegalStateException("vmtrust.sh template lacks its placeholders");
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
