package dev.vmtrust.doctor;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns TLS probe outcomes into checks: {@code probe-host} (a {@link TlsProbeResult}) and {@code probe-vm}
 * (curl's exit code inside the VM). No network at all is {@code warn}: the probe could not tell.
 */
final class ProbeChecks {
    static final String HOST = "probe-host";
    static final String VM = "probe-vm";
    /** What may go to the VM: an https URL of plain URL characters; no quote, space or control character. */
    private static final Pattern SAFE_URL = Pattern.compile("https://[A-Za-z0-9._~:/?#\\[\\]@!$&()*+,;=%-]+");

    private static final String NETWORK_HINT = "check the network, VPN or proxy; the probe only informs";

    private ProbeChecks() {}

    static boolean safeForVm(URI url) {
        return SAFE_URL.matcher(url.toASCIIString()).matches();
    }

    static Check host(URI url, TlsProbeResult r, List<String> include) {
        String u = url.toString();
        String answered = r.detail() == null ? "" : "; " + r.detail();
        return switch (r.outcome()) {
            case TRUSTED_BY_SET ->
                Check.ok(
                        HOST,
                        null,
                        u + ": the chain verifies; issued by " + r.issuer() + ", which is in the CA set" + answered);
            case TRUSTED_PUBLIC ->
                Check.ok(
                        HOST,
                        null,
                        u + ": the chain verifies; issued by " + r.issuer() + ", a public root (no interception)"
                                + answered);
            case BROKEN ->
                Check.fail(
                        HOST,
                        null,
                        u + ": issued by " + r.issuer() + ", which is in the CA set, but the chain does not verify: "
                                + r.detail(),
                        "check the server's certificates (expired? incomplete chain?)");
            case UNKNOWN_ISSUER ->
                Check.fail(
                        HOST,
                        null,
                        u + ": issued by " + r.issuer()
                                + ", which is neither a public root nor in the CA set; VMs will not trust this server",
                        unknownIssuerHint(url, r, include));
            case NO_NETWORK -> Check.warn(HOST, null, u + ": no network: " + r.detail(), NETWORK_HINT);
            case HANDSHAKE_FAILED ->
                Check.warn(HOST, null, u + ": the TLS handshake failed: " + r.detail(), NETWORK_HINT);
        };
    }

    /**
     * With {@code include} set, a CA the sources have may be left out by it: show the line to add. Either
     * way, a CA no source has must be saved as PEM and listed under sources.files.
     */
    private static String unknownIssuerHint(URI url, TlsProbeResult r, List<String> include) {
        int port = url.getPort() < 0 ? 443 : url.getPort();
        String save = "save that CA as PEM (e.g. the last certificate of `openssl s_client -showcerts -connect "
                + url.getHost() + ":" + port + " </dev/null`) and list the file under sources.files";
        String entry = r.rootSha256() != null ? "\"sha256:" + r.rootSha256() + "\"" : "\"" + r.issuer() + "\"";
        if (include.isEmpty()) return save;
        return "add to the config: include: [" + entry + "] (your include list leaves it out); if no source has it, "
                + save;
    }

    /** curl {@code -sS -o /dev/null --max-time 5 -I URL} inside the VM exited {@code code}, printing {@code text}. */
    static Check vm(String target, URI url, int code, String text) {
        String u = url.toString();
        String curl = text == null || text.isBlank() ? "curl exit " + code : text.strip();
        return switch (code) {
            case -1 ->
                Check.warn(
                        VM,
                        target,
                        u + ": not probed: curl is not installed in the VM",
                        "install curl in the VM to let doctor probe from inside it");
            case 0 -> Check.ok(VM, target, u + ": trusted inside the VM");
            case 60 ->
                Check.fail(
                        VM, target, u + ": the VM does not trust the certificate chain (" + curl + ")", "vmtrust sync");
            case 6, 7, 28 ->
                Check.warn(
                        VM,
                        target,
                        u + ": no network from the VM (" + curl + ")",
                        "check the VM's network, DNS or proxy settings; the probe only informs");
            default -> Check.warn(VM, target, u + ": the probe failed (" + curl + ")", null);
        };
    }
}
