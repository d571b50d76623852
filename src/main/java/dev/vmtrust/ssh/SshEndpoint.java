package dev.vmtrust.ssh;

import java.nio.file.Path;

/**
 * Where and how to reach one VM's sshd, as read from its ssh.config right before connecting.
 * {@code identityFile} is absolute and {@code ~}-expanded; it is checked to exist, never opened here.
 */
public record SshEndpoint(String host, int port, String user, Path identityFile) {

    /** {@code host:port}, with IPv6 literals in brackets once, however ssh.config wrote them
     * ({@code ::1} or {@code [::1]}): {@code 127.0.0.1:52311}, {@code [::1]:22}. */
    public String address() {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
