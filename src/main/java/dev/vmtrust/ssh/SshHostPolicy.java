package dev.vmtrust.ssh;

import dev.vmtrust.platform.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which SSH address vmtrust connects to. Contract: the host is resolved once, here; every address it
 * resolves to must be loopback unless {@code ssh.allowHosts} lists the host (compared
 * case-insensitively, as written); the caller connects to exactly the address returned, never to the
 * name again (a second lookup could answer differently).
 *
 * <p>Why resolve even "localhost": {@code localhost.} (trailing dot) or {@code LOCALHOST.} is not in
 * glibc's /etc/hosts match, so glibc asks DNS, which can answer with any address. Names that do not
 * even look like loopback and are not listed are refused before any lookup (no DNS query at all).
 */
public final class SshHostPolicy {
    private final Set<String> allowHosts;
    private final HostResolver resolver;

    public SshHostPolicy(List<String> allowHosts, HostResolver resolver) {
        this.allowHosts = allowHosts.stream().map(SshHostPolicy::norm).collect(Collectors.toSet());
        this.resolver = resolver;
    }

    /** The one address to connect to; a POLICY {@link SshException} when it is not allowed. */
    public InetAddress check(SshEndpoint endpoint, String targetName) throws SshException {
        String host = norm(endpoint.host());
        boolean listed = allowHosts.contains(host);
        if (!listed && !isLoopback(host)) throw refused(endpoint, targetName, "");
        InetAddress[] all;
        try {
            all = resolver.resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            all = new InetAddress[0];
        }
        if (all == null || all.length == 0) {
            throw new SshException(
                    SshException.Kind.CONFIG,
                    targetName + ": ssh.config points at " + endpoint.host()
                            + ", which does not resolve to an address; try: " + VmHints.restart(targetName));
        }
        if (!listed && !Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress)) {
            String addrs = Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
            throw refused(endpoint, targetName, " (" + addrs + ")");
        }
        return all[0];
    }

    private static SshException refused(SshEndpoint endpoint, String targetName, String resolved) {
        return new SshException(
                SshException.Kind.POLICY,
                targetName + ": ssh.config points at " + endpoint.host()
                        + resolved + ", which is not loopback; vmtrust only connects to loopback unless you add it to"
                        + " ssh.allowHosts in the config");
    }

    /** Lowercase, stripped, without IPv6 brackets. */
    private static String norm(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h;
    }

    /**
     * Spelled like loopback: {@code localhost} (with or without the trailing dot), {@code ::1} (any
     * spelling), {@code 127.x.y.z}. Only a pre-check: the resolved addresses decide.
     */
    public static boolean isLoopback(String host) {
        String h = norm(host);
        if (h.equals("localhost") || h.equals("localhost.")) return true;
        if (h.matches("(0{0,4}:){2,7}0{0,3}1") || h.equals("::1")) return true;
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
