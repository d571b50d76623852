package dev.vmtrust.it;

import java.nio.file.Path;

/** An ed25519 key pair in OpenSSH format, no passphrase: the "Lima" user key (like ~/.lima/_config/user). */
public record TestKeys(Path privateKey, Path publicKey) {

    /** Generates DIR/id_ed25519 and DIR/id_ed25519.pub with ssh-keygen (DIR is created if needed). */
    public static TestKeys generate(Path dir) {
        Path key = dir.resolve("id_ed25519");
        Cmd.check("mkdir", "-p", dir.toString());
        Cmd.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vmtrust-it", "-f", key.toString());
        return new TestKeys(key, dir.resolve("id_ed25519.pub"));
    }
}
