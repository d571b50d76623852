package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.HostResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What JschConnector decides before any network traffic. */
class JschConnectorTest {
    @TempDir
    Path tmp;

    private final JschConnector connector = new JschConnector(
            new Config.Ssh(Duration.ofSeconds(10), Duration.ofSeconds(120), List.of()),
            HostResolver.SYSTEM,
            new OutputBudget(OutputBudget.DEFAULT_BYTES));

    @Test
    void aNonLoopbackHostIsRefusedBeforeConnecting() {
        SshEndpoint ep = new SshEndpoint("10.0.0.5", 22, "u", tmp.resolve("key"));
        assertThatThrownBy(() -> connector.connect(ep, "lima/dev"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.POLICY))
                .hasMessage("lima/dev: ssh.config points at 10.0.0.5, which is not loopback; vmtrust only connects to"
                        + " loopback unless you add it to ssh.allowHosts in the config");
    }

    @Test
    void aFileThatIsNotAKeyIsReportedWithoutItsContent() throws Exception {
        Path key = Files.writeString(tmp.resolve("user"), "SECRET-NOT-A-KEY\n");
        SshEndpoint ep = new SshEndpoint("127.0.0.1", 1, "u", key);
        assertThatThrownBy(() -> connector.connect(ep, "colima/default"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.CONFIG))
                .hasMessage("colima/default: cannot use the SSH key " + key + ": not a private key JSch can read, or it"
                        + " has a passphrase; try: colima restart default")
                .hasNoCause();
    }
}
