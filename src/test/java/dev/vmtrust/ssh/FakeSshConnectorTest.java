package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeSshConnectorTest {
    private final SshEndpoint ep = new SshEndpoint("127.0.0.1", 2222, "u", Path.of("/k"));

    @Test
    void scriptedRepliesComeInOrderThenTheDefaultAndCallsAreRecorded() throws Exception {
        FakeSshConnector connector = new FakeSshConnector();
        connector.shell("colima/default").reply(0, "ubuntu\n", "").reply(3, "", "boom");
        try (RemoteShell shell = connector.connect(ep, "colima/default")) {
            assertThat(shell.exec("cat /etc/os-release", (byte[]) null, Duration.ofSeconds(5)))
                    .isEqualTo(new ExecResult(0, "ubuntu\n", ""));
            assertThat(shell.exec("sudo sh -s", "PEM".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)))
                    .isEqualTo(new ExecResult(3, "", "boom"));
            assertThat(shell.exec("true", (byte[]) null, Duration.ofSeconds(5)).ok())
                    .isTrue();
        }
        FakeRemoteShell fake = connector.shell("colima/default");
        assertThat(fake.commands()).containsExactly("cat /etc/os-release", "sudo sh -s", "true");
        assertThat(fake.calls().get(1).stdinText()).isEqualTo("PEM");
        assertThat(connector.connects()).containsExactly(new FakeSshConnector.Connect(ep, "colima/default"));
        assertThat(connector.openShells()).isZero();
    }

    @Test
    void scriptedConnectFailuresAreThrownUntilHealed() throws Exception {
        FakeSshConnector connector = new FakeSshConnector();
        SshException refused = new SshException(SshException.Kind.REFUSED, "lima/dev: refused");
        connector.failWith("lima/dev", refused);
        assertThatThrownBy(() -> connector.connect(ep, "lima/dev")).isSameAs(refused);
        connector.heal("lima/dev");
        connector.connect(ep, "lima/dev").close();
    }
}
