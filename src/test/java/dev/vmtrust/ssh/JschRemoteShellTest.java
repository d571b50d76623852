package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an exec on a session that is gone reports, without any network traffic. */
class JschRemoteShellTest {
    @Test
    void anExecOnASessionThatIsDownFailsBeforeTheCommandAndSaysSo() throws Exception {
        Session never = new JSch().getSession("limauser", "127.0.0.1", 1); // never connected: "session is down"
        JschRemoteShell shell =
                new JschRemoteShell(never, "colima/default", 1000, new OutputBudget(OutputBudget.DEFAULT_BYTES));
        assertThat(shell.isOpen()).isFalse();
        assertThatThrownBy(() -> shell.exec("echo hi", "", Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(SshException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SshException.Kind.CONNECTION);
                    assertThat(e.beforeCommand()).isTrue();
                })
                .hasMessage("colima/default: lost the SSH session while running \"echo hi\" (session is down);"
                        + " try: colima restart default");
    }

    @Test
    void thePlainConstructorsMeanTheCommandMayHaveRun() {
        assertThat(new SshException(SshException.Kind.CONNECTION, "x").beforeCommand())
                .isFalse();
        assertThat(new SshException(SshException.Kind.CONNECTION, "x", null).beforeCommand())
                .isFalse();
    }
}
