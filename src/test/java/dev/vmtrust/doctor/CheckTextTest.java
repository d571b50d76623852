package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckTextTest {
    private final List<Check> checks = List.of(
            Check.ok("ca-set", null, "2 CAs"),
            Check.fail(
                    "ssh",
                    "colima/default",
                    "cannot reach the VM over SSH (127.0.0.1:2222): connection refused; is it running?",
                    "colima start default"),
            Check.warn("agent", null, "not installed", null));

    @Test
    void humanOutputHasOneLinePerCheckTheNextStepBelowAndASummary() {
        StringWriter sw = new StringWriter();
        CheckText.print(new PrintWriter(sw, true), checks);
        assertThat(sw.toString())
                .isEqualTo(""
                        + "ok    ca-set              2 CAs\n"
                        + "fail  colima/default      ssh: cannot reach the VM over SSH (127.0.0.1:2222): connection refused; is it running?\n"
                        + "      next: colima start default\n"
                        + "warn  agent               not installed\n"
                        + "doctor: 1 ok, 1 warn, 1 fail\n");
    }

    @Test
    void jsonHasTheFixedKeysWithNullTargetAndHint() {
        assertThat(CheckText.json(checks))
                .isEqualTo(
                        "{\"checks\":["
                                + "{\"id\":\"ca-set\",\"target\":null,\"status\":\"ok\",\"message\":\"2 CAs\",\"hint\":null},"
                                + "{\"id\":\"ssh\",\"target\":\"colima/default\",\"status\":\"fail\",\"message\":\"cannot reach the VM over SSH "
                                + "(127.0.0.1:2222): connection refused; is it running?\",\"hint\":\"colima start default\"},"
                                + "{\"id\":\"agent\",\"target\":null,\"status\":\"warn\",\"message\":\"not installed\",\"hint\":null}]}");
    }
}
