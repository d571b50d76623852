package dev.vmtrust.vm.script;

import static dev.vmtrust.vm.script.ScriptInstallTest.A;
import static dev.vmtrust.vm.script.ScriptInstallTest.B;
import static dev.vmtrust.vm.script.ScriptInstallTest.C;
import static dev.vmtrust.vm.script.ScriptInstallTest.hex;
import static dev.vmtrust.vm.script.ScriptInstallTest.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes that carry only the PEMs a VM lacks, and the stamp vouching for files already in place. */
class ScriptPartialPushTest {
    @TempDir
    Path tmp;

    ScriptHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
    }

    Path file(CaCert c) {
        return h.certDir().resolve("vmtrust-" + c.fp16() + ".crt");
    }

    @Test
    void aPushCarryingOnlyTheMissingPemAddsItRemovesTheStaleOneAndStamps() throws Exception {
        h.ssh(script(A, B), "apply", "auto");
        h.clearCalls();
        CaBundle want = CaBundle.of(List.of(A, C));

        var run = h.ssh(VmScript.renderCarrying(want, java.util.Set.of(C.fp16())), "apply", "auto");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.result().added()).containsExactly(C.fp16());
        assertThat(run.result().removed()).containsExactly(B.fp16());
        assertThat(Files.readString(file(A))).isEqualTo(A.pem());
        assertThat(Files.readString(file(C))).isEqualTo(C.pem());
        assertThat(h.stamp()).hasContent(want.fingerprint());
    }

    @Test
    void aPushThatDoesNotCarryAPemTheVmLacksChangesNothingAndSaysSo() throws Exception {
        h.ssh(script(A), "apply", "auto");
        h.clearCalls();

        var run = h.ssh(
                VmScript.renderCarrying(CaBundle.of(List.of(A, B, C)), java.util.Set.of(C.fp16())), "apply", "auto");

        assertThat(run.result().error())
                .contains(new ScriptError(
                        "needs-certificates", "the VM lacks " + B.fp16() + " and this script does not carry them"));
        assertThat(file(C)).doesNotExist();
        assertThat(h.stamp()).hasContent(hex(A));
        assertThat(h.calls()).isEmpty();
    }

    @Test
    void whileTheStampMatchesFilesInPlaceAreNotReRead() throws Exception {
        h.ssh(script(A), "apply", "auto");
        Files.writeString(file(A), "tampered\n");

        var observed = h.ssh(script(A), "observe");
        var run = h.ssh(script(A), "apply", "auto");

        assertThat(observed.result().differs()).isEmpty();
        assertThat(run.result().unchanged()).isTrue();
    }
}
