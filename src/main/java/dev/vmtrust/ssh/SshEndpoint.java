package dev.vmtrust.ssh;

import java.nio.file.Path;

/**
 * Where and how to reach one VM's sshd, as read from its ssh.config right before connecting.
 * {@code identityFile} is absolute and {@code ~}-expanded; it is checked to exist, never opened here.
 */
public record SshEndpoint(String host, int port, String user, Path identityFile) {

    /** {@code host:port}, with IPv6 literals in brackets: {@code 127.0.0.1:52311}, {@code [::1]:22}. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
