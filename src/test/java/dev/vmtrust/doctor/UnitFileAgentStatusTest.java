package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent status from the unit/plist file and systemctl/launchctl, through a fake runner only. */
class UnitFileAgentStatusTest {
    @TempDir
    Path tmp;

    final List<List<String>> ran = new ArrayList<>();

    private CommandRunner answering(int exit, String stdout, String stderr) {
        return (argv, stdin, timeout) -> {
            ran.add(argv);
            assertThat(timeout).isLessThanOrEqualTo(Duration.ofSeconds(5));
            if (argv.get(0).equals("id")) return new CommandResult(argv, 0, "501\n", "");
            return new CommandResult(argv, exit, stdout, stderr);
        };
    }

    private Environment linux() {
        return new Environment(
                Map.of(
                        "HOME",
                        tmp.resolve("home").toString(),
                        "XDG_CONFIG_HOME",
                        tmp.resolve("cfg").toString()),
                Os.LINUX);
    }

    private Path unit() {
        return tmp.resolve("cfg/systemd/user/vmtrust.service");
    }

    @Test
    void withoutTheUnitFileItIsNotInstalledAndNothingRuns() {
        AgentStatus.Snapshot s = new UnitFileAgentStatus(linux(), answering(0, "active\n", "")).status();

        assertThat(s)
                .isEqualTo(new AgentStatus.Snapshot(
                        true,
                        unit(),
                        false,
                        null,
                        null,
                        "systemctl --user start vmtrust.service (logs: journalctl --user -u vmtrust)"));
        assertThat(ran).isEmpty();
    }

    @Test
    void systemctlSaysActiveInactiveOrCannotReachTheUserBus() {
        DoctorFixture.write(unit(), "[Unit]\n");

        assertThat(new UnitFileAgentStatus(linux(), answering(0, "active\n", ""))
                        .status()
                        .running())
                .isTrue();
        AgentStatus.Snapshot inactive = new UnitFileAgentStatus(linux(), answering(3, "inactive\n", "")).status();
        assertThat(inactive.running()).isFalse();
        assertThat(inactive.detail()).isEqualTo("systemd says inactive");
        AgentStatus.Snapshot noBus = new UnitFileAgentStatus(
                        linux(), answering(1, "", "Failed to connect to bus: No medium found\n"))
                .status();
        assertThat(noBus.running()).isNull();
        assertThat(noBus.detail())
                .isEqualTo("systemd --user is not reachable here (Failed to connect to bus: No medium found)");
        assertThat(ran)
                .allSatisfy(argv ->
                        assertThat(argv).containsExactly("systemctl", "--user", "is-active", "vmtrust.service"));
    }

    @Test
    void aMissingOrHungSystemctlMeansCannotTell() {
        DoctorFixture.write(unit(), "[Unit]\n");
        AgentStatus.Snapshot s = new UnitFileAgentStatus(linux(), (argv, stdin, t) -> {
                    throw new CommandException("cannot run systemctl: No such file or directory");
                })
                .status();
        assertThat(s.installed()).isTrue();
        assertThat(s.running()).isNull();
        assertThat(s.detail()).isEqualTo("cannot run systemctl: No such file or directory");
    }

    @Test
    void onMacosLaunchctlPrintTellsWhetherItRuns() {
        Environment mac = new Environment(Map.of("HOME", tmp.resolve("home").toString()), Os.MACOS);
        Path plist =
                DoctorFixture.write(tmp.resolve("home/Library/LaunchAgents/dev.vmtrust.agent.plist"), "<plist/>\n");

        AgentStatus.Snapshot running = new UnitFileAgentStatus(
                        mac, answering(0, "gui/501/dev.vmtrust.agent = {\n\tstate = running\n}\n", ""))
                .status();
        AgentStatus.Snapshot unloaded =
                new UnitFileAgentStatus(mac, answering(113, "", "Could not find service\n")).status();

        assertThat(running)
                .isEqualTo(new AgentStatus.Snapshot(
                        true,
                        plist,
                        true,
                        true,
                        "launchd says running",
                        "launchctl kickstart gui/501/dev.vmtrust.agent (logs: " + tmp.resolve("home")
                                + "/Library/Logs/vmtrust/vmtrust.log)"));
        assertThat(unloaded)
                .isEqualTo(new AgentStatus.Snapshot(
                        true,
                        plist,
                        true,
                        false,
                        "launchd has not loaded gui/501/dev.vmtrust.agent",
                        "launchctl bootstrap gui/501 " + plist));
        assertThat(ran).contains(List.of("launchctl", "print", "gui/501/dev.vmtrust.agent"));
    }
}
