package dev.vmtrust.ssh;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name from ssh.config into addresses. Real: {@link #system()} (the OS resolver, wired
 * in {@code Main}); tests pass a fake so that no name is looked up for real.
 */
@FunctionalInterface
public interface HostResolver {

    /** Every address of {@code host} (an IP literal comes back as itself, unbracketed input). */
    InetAddress[] resolve(String host) throws UnknownHostException;

    /** {@link InetAddress#getAllByName}: /etc/hosts, then DNS, as the OS is configured. */
    static HostResolver system() { return InetAddress::getAllByName; }
}
