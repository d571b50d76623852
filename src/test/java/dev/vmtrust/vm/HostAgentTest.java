package dev.vmtrust.vm;

import static dev.vmtrust.vm.TargetTrees.file;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostAgentTest {
    @TempDir
    Path tmp;

    private final VmLiveness agent = new VmLiveness(Set.of(42L)::contains);

    private TargetRef ref() {
        return TargetRef.of(TargetKind.LIMA, "dev", tmp.resolve("dev"), tmp.resolve("dev/lima.yaml"));
    }

    @Test
    void runningWhenHaPidNamesALiveProcess() {
        file(tmp.resolve("dev/ha.pid"), "42\n");
        assertThat(agent.isRunning(ref())).isTrue();
    }

    @Test
    void stoppedWhenHaPidIsStaleMissingOrGarbage() {
        assertThat(agent.isRunning(ref())).isFalse();
        file(tmp.resolve("dev/ha.pid"), "43\n");
        assertThat(agent.isRunning(ref())).isFalse();
        file(tmp.resolve("dev/ha.pid"), "not a pid");
        assertThat(agent.isRunning(ref())).isFalse();
        file(tmp.resolve("dev/ha.pid"), "");
        assertThat(agent.isRunning(ref())).isFalse();
    }

    @Test
    void theSystemCheckSeesThisJvmAlive() {
        file(tmp.resolve("dev/ha.pid"), ProcessHandle.current().pid() + "\n");
        assertThat(VmLiveness.system().isRunning(ref())).isTrue();
    }
}
