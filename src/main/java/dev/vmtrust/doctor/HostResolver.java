package dev.vmtrust.doctor;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Name lookup for the host TLS probe: a seam, so tests never resolve public names (they pass a fake that
 * maps a name to 127.0.0.1, or one that never answers). The probe bounds every lookup by its timeout;
 * an implementation may block.
 */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver (getaddrinfo: /etc/hosts, DNS, mDNS...); may block far longer than any timeout. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /** At least one address, or UnknownHostException. */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
