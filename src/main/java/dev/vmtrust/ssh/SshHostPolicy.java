package dev.vmtrust.ssh;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which SSH hosts vmtrust connects to: loopback always ({@code localhost}, {@code ::1}, any 127/8
 * address), others only when listed in {@code ssh.allowHosts} (compared case-insensitively, as written).
 * Checked before any connection; no name is resolved through DNS.
 */
public final class SshHostPolicy {
    private final Set<String> allowHosts;

    public SshHostPolicy(List<String> allowHosts) {
        this.allowHosts = allowHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Throws a POLICY {@link SshException} when {@code endpoint}'s host is not allowed. */
    public void check(SshEndpoint endpoint, String targetName) throws SshException {
        if (allowed(endpoint.host())) return;
        throw new SshException(SshException.Kind.POLICY, targetName + ": ssh.config points at " + endpoint.host()
                + ", which is not loopback; vmtrust only connects to loopback unless you add it to"
                + " ssh.allowHosts in the config");
    }

    public boolean allowed(String host) {
        return isLoopback(host) || allowHosts.contains(host.strip().toLowerCase(Locale.ROOT));
    }

    /** Literal loopback only: {@code localhost}, {@code ::1} (any spelling), {@code 127.x.y.z}. */
    public static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
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
