package dev.vmtrust.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Name lookup, as a seam: ssh.config's host names (the loopback-only rule) and doctor's host TLS probes resolve
 * through it, so tests pass a fake and never look up a public name. Callers bound the time themselves where it
 * matters (doctor): an implementation may block.
 */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver ({@link InetAddress#getAllByName}: /etc/hosts, DNS, mDNS, as the OS is configured). */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /** Every address of {@code host}, at least one (an IP literal comes back as itself), or UnknownHostException. */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
