package dev.vmtrust.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.FakeCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUserServiceTest {
    private static final List<String> IS_ENABLED = List.of("systemctl", "--user", "is-enabled", "vmtrust.service");
    private static final List<String> IS_ACTIVE = List.of("systemctl", "--user", "is-active", "vmtrust.service");
    private static final List<String> RELOAD = List.of("systemctl", "--user", "daemon-reload");
    private static final List<String> ENABLE_NOW = List.of("systemctl", "--user", "enable", "--now", "vmtrust.service");
    private static final List<String> RESTART = List.of("systemctl", "--user", "restart", "vmtrust.service");
    private static final List<String> DISABLE_NOW =
            List.of("systemctl", "--user", "disable", "--now", "vmtrust.service");
    private static final String NO_FILE =
            "Failed to get unit file state for vmtrust.service: No such file or directory";

    @TempDir
    Path tmp;

    private Path home;
    private Path launcher;
    private Path unit;
    private final Map<String, String> vars = new HashMap<>();
    private final FakeCommandRunner runner = new FakeCommandRunner();

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home/ada"));
        vars.put("HOME", home.toString());
        launcher = Launchers.create(home.resolve(".local/bin/vmtrust"));
        unit = home.resolve(".config/systemd/user/vmtrust.service");
    }

    private SystemdUserService service(Path launcherPath) {
        return new SystemdUserService(runner, new Environment(vars, Os.LINUX), launcherPath);
    }

    private void notInstalled() {
        runner.on(IS_ENABLED, 1, "", NO_FILE).on(IS_ACTIVE, 3, "inactive\n", "");
    }

    private void enabledAndActive() {
        runner.on(IS_ENABLED, 0, "enabled\n", "").on(IS_ACTIVE, 0, "active\n", "");
    }

    @Test
    void theShellsHomesAndConfigAreRecordedInTheUnitAndReadBack() throws Exception {
        Path colima = Files.createDirectories(home.resolve("50% \"colima\""));
        vars.put("COLIMA_HOME", colima.toString());
        vars.put("XDG_CONFIG_HOME", home.resolve("cfg").toString());
        unit = home.resolve("cfg/systemd/user/vmtrust.service");

        String text = service(launcher).render();

        assertThat(text)
                .contains(" run\nEnvironment=\"COLIMA_HOME=" + home + "/50%% \\\"colima\\\"\"\n"
                        + "Environment=\"XDG_CONFIG_HOME=" + home + "/cfg\"\nRestart=on-failure");
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, text);
        assertThat(dev.vmtrust.service.AgentEnvironment.recordedIn(unit))
                .contains(Map.of(
                        "COLIMA_HOME",
                        colima.toString(),
                        "XDG_CONFIG_HOME",
                        home.resolve("cfg").toString()));
    }

    @Test
    void theUnitIsRenderedWordForWord() {
        assertThat(service(launcher).render()).isEqualTo("""
                # vmtrust agent. Written by `vmtrust install`, removed by `vmtrust uninstall`; edits are overwritten.
                [Unit]
                Description=vmtrust: keep Colima/Lima VMs trusting the host's CAs

                [Service]
                Type=simple
                ExecStart=~ada/.local/bin/vmtrust run
                Restart=on-failure
                RestartSec=10
                TimeoutStopSec=20
                Nice=5
                IOSchedulingClass=idle

                [Install]
                WantedBy=default.target
                """.replace("~ada", home.toString()));
    }

    @Test
    void aLauncherPathWithSpacesPercentOrDollarIsQuotedForSystemd() throws Exception {
        Path odd = Launchers.create(tmp.resolve("my tools/100%/$HOME/vm\"trust"));

        assertThat(service(odd).render()).contains("ExecStart=\"" + tmp + "/my tools/100%%/$$HOME/vm\\\"trust\" run\n");
    }

    @Test
    void xdgConfigHomeIsHonouredWhenAbsolute() {
        vars.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        assertThat(service(launcher).unitFile()).isEqualTo(tmp.resolve("xdg/systemd/user/vmtrust.service"));

        vars.put("XDG_CONFIG_HOME", "relative/xdg");
        assertThat(service(launcher).unitFile()).isEqualTo(unit);
    }

    @Test
    void aFreshInstallWritesTheUnitAndEnablesItNow() throws Exception {
        notInstalled();

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(IS_ENABLED, IS_ACTIVE, RELOAD, ENABLE_NOW);
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.INSTALLED);
        assertThat(r.commands()).containsExactly(RELOAD, ENABLE_NOW);
        assertThat(r.message())
                .isEqualTo("installed the vmtrust agent: wrote " + unit
                        + " and enabled and started vmtrust.service; logs: journalctl --user -u vmtrust");
        assertThat(Files.readString(unit)).isEqualTo(service(launcher).render());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void aNewLauncherPathRewritesTheUnitAndRestartsTheRunningService() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, service(launcher).render());
        Path moved = Launchers.create(home.resolve("opt/vmtrust/vmtrust"));
        enabledAndActive();

        InstallResult r = service(moved).install(false);

        assertThat(runner.argvs()).containsExactly(IS_ENABLED, IS_ACTIVE, RELOAD, ENABLE_NOW, RESTART);
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.UPDATED);
        assertThat(r.message())
                .isEqualTo("updated the vmtrust agent: rewrote " + unit
                        + " and restarted vmtrust.service; logs: journalctl --user -u vmtrust");
        assertThat(Files.readString(unit)).contains("ExecStart=" + moved + " run\n");
    }

    @Test
    void aCurrentEnabledActiveServiceIsLeftAlone() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, service(launcher).render());
        Files.setLastModifiedTime(unit, FileTime.fromMillis(1_000_000));
        enabledAndActive();

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(IS_ENABLED, IS_ACTIVE);
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.ALREADY_CURRENT);
        assertThat(r.message())
                .isEqualTo("the vmtrust agent is already installed and current (" + unit
                        + ", vmtrust.service enabled and active); nothing to do");
        assertThat(Files.getLastModifiedTime(unit).toMillis()).isEqualTo(1_000_000);
    }

    @Test
    void aCurrentUnitThatStoppedIsStartedWithoutRewriting() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, service(launcher).render());
        runner.on(IS_ENABLED, 0, "enabled\n", "").on(IS_ACTIVE, 3, "failed\n", "");

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(IS_ENABLED, IS_ACTIVE, RELOAD, ENABLE_NOW);
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.STARTED);
        assertThat(r.message())
                .isEqualTo("the vmtrust agent was installed but not running; enabled and started "
                        + "vmtrust.service now; logs: journalctl --user -u vmtrust");
    }

    @Test
    void aDryRunOnlyProbesAndShowsWhatItWouldWriteAndRun() throws Exception {
        notInstalled();

        InstallResult r = service(launcher).install(true);

        assertThat(runner.argvs()).containsExactly(IS_ENABLED, IS_ACTIVE);
        assertThat(unit).doesNotExist();
        assertThat(r.text())
                .isEqualTo(
                        "dry run, nothing changed: would write " + unit
                                + " and enable and start vmtrust.service\n"
                                + "would write " + unit + " (mode 0644):\n"
                                + service(launcher).render()
                                + "would run:\n  systemctl --user daemon-reload\n  systemctl --user enable --now vmtrust.service\n");
    }

    @Test
    void withoutAUserBusNothingIsWrittenAndTheNextStepIsGiven() throws Exception {
        runner.on(IS_ENABLED, 1, "", "Failed to connect to bus: No medium found\n");

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(IS_ENABLED);
        assertThat(unit).doesNotExist();
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.NO_USER_SESSION);
        assertThat(r.ok()).isFalse();
        assertThat(r.message())
                .isEqualTo("systemd --user is not reachable here (Failed to connect to bus: No medium "
                        + "found), so vmtrust cannot install its user service; nothing was changed. Next step: run `vmtrust run` "
                        + "in the foreground, or enable a user manager with `loginctl enable-linger $USER`, log in again, and "
                        + "run `vmtrust install` again");
    }

    @Test
    void withoutSystemctlAtAllItIsTheSameCase() throws Exception {
        runner.throwOn(
                IS_ENABLED, "cannot run `systemctl --user is-enabled vmtrust.service`: No such file or directory");

        InstallResult r = service(launcher).install(false);

        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.NO_USER_SESSION);
        assertThat(unit).doesNotExist();
    }

    @Test
    void uninstallDisablesStopsAndDeletesTheUnit() throws Exception {
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, "old");

        UninstallResult r = service(launcher).uninstall();

        assertThat(runner.argvs()).containsExactly(DISABLE_NOW, RELOAD);
        assertThat(unit).doesNotExist();
        assertThat(r.outcome()).isEqualTo(UninstallResult.Outcome.UNINSTALLED);
        assertThat(r.text())
                .isEqualTo(
                        "uninstalled the vmtrust agent: stopped and disabled vmtrust.service and removed " + unit
                                + "\nran:\n  systemctl --user disable --now vmtrust.service\n  systemctl --user daemon-reload\n");
    }

    @Test
    void uninstallWhenNothingIsInstalledDoesNothing() throws Exception {
        notInstalled();

        UninstallResult r = service(launcher).uninstall();

        assertThat(runner.argvs()).containsExactly(IS_ACTIVE);
        assertThat(r.outcome()).isEqualTo(UninstallResult.Outcome.NOT_INSTALLED);
        assertThat(r.message()).isEqualTo("the vmtrust agent is not installed; nothing to do");
    }
}
