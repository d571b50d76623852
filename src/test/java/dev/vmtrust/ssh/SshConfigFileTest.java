package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigFileTest {
    /** The file exactly as Lima writes it (docs: colima-lima.md). */
    static final String LIMA_SAMPLE = """
            # This SSH config file can be passed to 'ssh -F'.
            # This file is created by Lima, but not used by Lima itself currently.
            # Modifications to this file will be lost on restarting the Lima instance.
            Host lima-colima
              IdentityFile "/Users/alice/.colima/_lima/_config/user"
              StrictHostKeyChecking no
              UserKnownHostsFile /dev/null
              NoHostAuthenticationForLocalhost yes
              PreferredAuthentications publickey
              Compression no
              BatchMode yes
              IdentitiesOnly yes
              Ciphers "^aes128-gcm@openssh.com,aes256-gcm@openssh.com"
              User alice
              ControlMaster auto
              ControlPath "/Users/alice/.colima/_lima/colima/ssh.sock"
              ControlPersist yes
              Hostname 127.0.0.1
              Port 51234
            """;

    @TempDir
    Path tmp;

    private final Environment env = new Environment(Map.of("HOME", "/home/alice"), Os.LINUX);
    private final Path file = Path.of("/c/_lima/colima/ssh.config");

    @Test
    void readsLimasExactFormatWithQuotesRemoved() throws Exception {
        SshEndpoint ep = SshConfigFile.parse(LIMA_SAMPLE, file, "colima/default", env);
        assertThat(ep)
                .isEqualTo(new SshEndpoint(
                        "127.0.0.1", 51234, "alice", Path.of("/Users/alice/.colima/_lima/_config/user")));
        assertThat(ep.address()).isEqualTo("127.0.0.1:51234");
    }

    @Test
    void anIpv6HostnameIsShownInBracketsOnceHoweverItWasWritten() throws Exception {
        for (String host : List.of("::1", "[::1]")) {
            String text = "Host x\n  Hostname " + host + "\n  Port 22\n  User bob\n  IdentityFile /k\n";
            assertThat(SshConfigFile.parse(text, file, "lima/dev", env).address())
                    .as(host)
                    .isEqualTo("[::1]:22");
        }
    }

    @Test
    void expandsTildeFromHOMEAndAcceptsEqualsAndAnyKeyCase() throws Exception {
        String text =
                "host x\n  HOSTNAME=localhost\n  port = 22\n  user=bob\n  identityfile \"~/.lima/_config/user\"\n";
        SshEndpoint ep = SshConfigFile.parse(text, file, "lima/dev", env);
        assertThat(ep).isEqualTo(new SshEndpoint("localhost", 22, "bob", Path.of("/home/alice/.lima/_config/user")));
    }

    @Test
    void theFirstValueOfAKeyWinsAsInSsh() throws Exception {
        String text = "Host a\n Hostname 127.0.0.1\n Port 1\n User u\n IdentityFile /k1\n IdentityFile /k2\n Port 2\n";
        SshEndpoint ep = SshConfigFile.parse(text, file, "lima/dev", env);
        assertThat(ep.port()).isEqualTo(1);
        assertThat(ep.identityFile()).isEqualTo(Path.of("/k1"));
    }

    @Test
    void aMissingFileSaysTheVmMayBeStoppedWithAKindAwareHint() {
        Path missing = tmp.resolve("ssh.config");
        assertThatThrownBy(() -> SshConfigFile.read(missing, "colima/work", env))
                .hasMessage(missing + ": no ssh.config; is the VM running? try: colima start work");
        assertThatThrownBy(() -> SshConfigFile.read(missing, "lima/dev", env))
                .hasMessage(missing + ": no ssh.config; is the VM running? try: limactl start dev")
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.CONFIG));
    }

    @Test
    void missingPiecesAreNamed() {
        String base = "Hostname 127.0.0.1\nPort 2222\nUser u\nIdentityFile /k\n";
        String fix = "; Lima rewrites this file on every start; try: colima restart default";
        assertThatThrownBy(() -> parse(base.replace("Port 2222\n", ""))).hasMessage(file + ": no Port" + fix);
        assertThatThrownBy(() -> parse(base.replace("User u\n", ""))).hasMessage(file + ": no User" + fix);
        assertThatThrownBy(() -> parse(base.replace("IdentityFile /k\n", "")))
                .hasMessage(file + ": no IdentityFile" + fix);
        assertThatThrownBy(() -> parse(base.replace("Hostname 127.0.0.1\n", "")))
                .hasMessage(file + ": no Hostname" + fix);
        assertThatThrownBy(() -> parse(base.replace("2222", "abc")))
                .hasMessage(file + ": Port \"abc\" is not a port number (1-65535)" + fix);
        assertThatThrownBy(() -> parse(base.replace("2222", "70000")))
                .hasMessage(file + ": Port \"70000\" is not a port number (1-65535)" + fix);
    }

    @Test
    void aMissingKeyFileIsReportedBeforeConnecting() throws Exception {
        Path cfg = tmp.resolve("ssh.config");
        Path key = tmp.resolve("user");
        Files.writeString(cfg, "Hostname 127.0.0.1\nPort 2222\nUser u\nIdentityFile \"" + key + "\"\n");
        assertThatThrownBy(() -> SshConfigFile.read(cfg, "lima/dev", env))
                .hasMessage(
                        cfg + ": IdentityFile " + key + " does not exist; try: limactl stop dev && limactl start dev");
    }

    @Test
    void anUnreadableKeyFileIsReported() throws Exception {
        Path cfg = tmp.resolve("ssh.config");
        Path key = tmp.resolve("dir-not-key");
        Files.createDirectory(key);
        Files.writeString(cfg, "Hostname 127.0.0.1\nPort 2222\nUser u\nIdentityFile " + key + "\n");
        assertThatThrownBy(() -> SshConfigFile.read(cfg, "colima/default", env))
                .hasMessage(cfg + ": IdentityFile " + key + " is not a readable file for this user;"
                        + " check its owner and permissions");
    }

    @Test
    void aCompleteFileWithAnExistingKeyIsRead() throws Exception {
        Path cfg = tmp.resolve("ssh.config");
        Path key = Files.createFile(
                tmp.resolve("user"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(cfg, LIMA_SAMPLE.replace("/Users/alice/.colima/_lima/_config/user", key.toString()));
        assertThat(SshConfigFile.read(cfg, "colima/default", env).identityFile())
                .isEqualTo(key);
    }

    private SshEndpoint parse(String text) throws SshException {
        return SshConfigFile.parse(text, file, "colima/default", env);
    }
}
