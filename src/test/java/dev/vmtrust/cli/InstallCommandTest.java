package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.FakeCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install/uninstall wiring: the launcher path reaches the unit, and only the fake runner is ever called. */
class InstallCommandTest {
    @TempDir
    Path tmp;

    private Path launcher() throws Exception {
        Path l = Files.writeString(tmp.resolve("bin/vmtrust"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(l, PosixFilePermissions.fromString("rwxr-xr-x"));
        return l;
    }

    @Test
    void installWritesTheSystemdUnitForTheLauncherAndStartsIt() throws Exception {
        Files.createDirectories(tmp.resolve("bin"));
        Path launcher = launcher();
        FakeCommandRunner runner = new FakeCommandRunner().fallback(0, "", "");
        runner.on(List.of("systemctl", "--user", "is-enabled", "vmtrust.service"), 1, "disabled\n", "");
        runner.on(List.of("systemctl", "--user", "is-active", "vmtrust.service"), 3, "inactive\n", "");
        CliRun cli = new CliRun(tmp.resolve("run")).runner(runner).env("VMTRUST_LAUNCHER", launcher.toString());

        CliRun.Result r = cli.run("install");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Path unit = tmp.resolve("run/config/systemd/user/vmtrust.service");
        assertThat(Files.readString(unit)).contains("ExecStart=" + launcher + " run\n");
        assertThat(runner.argvs())
                .contains(
                        List.of("systemctl", "--user", "daemon-reload"),
                        List.of("systemctl", "--user", "enable", "--now", "vmtrust.service"));
    }

    @Test
    void installWithoutALauncherSaysHowToRunIt() {
        CliRun.Result r =
                new CliRun(tmp.resolve("run")).runner(new FakeCommandRunner()).run("install", "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("vmtrust: cannot tell where the vmtrust launcher is; run install through it "
                        + "(scripts/install.sh, or <install dir>/vmtrust install), or pass --launcher PATH\n");
    }

    @Test
    void uninstallWhenNothingIsInstalledIsQuietAndSucceeds() {
        FakeCommandRunner runner = new FakeCommandRunner().fallback(3, "inactive\n", "");
        CliRun.Result r = new CliRun(tmp.resolve("run")).runner(runner).run("uninstall");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("nothing to do");
    }
}
