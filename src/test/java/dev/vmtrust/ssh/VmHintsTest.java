package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VmHintsTest {

    @Test
    void colimaHintsUseTheProfileName() {
        assertThat(VmHints.start("colima/default")).isEqualTo("colima start default");
        assertThat(VmHints.restart("colima/work")).isEqualTo("colima restart work");
    }

    @Test
    void limaHintsUseLimactl() {
        assertThat(VmHints.start("lima/dev")).isEqualTo("limactl start dev");
        assertThat(VmHints.restart("lima/dev")).isEqualTo("limactl stop dev && limactl start dev");
    }

    @Test
    void commandSummariesKeepTheFirstLineShort() {
        assertThat(JschRemoteShell.summary("sudo sh -s")).isEqualTo("\"sudo sh -s\"");
        assertThat(JschRemoteShell.summary("set -e\nexit 1")).isEqualTo("\"set -e ...\"");
        assertThat(JschRemoteShell.summary("x".repeat(100))).isEqualTo("\"" + "x".repeat(57) + "...\"");
    }
}
