package dev.vmtrust.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.FakeCommandRunner;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceManagersTest {
    private final FakeCommandRunner runner = new FakeCommandRunner();
    private final Environment env = new Environment(Map.of("HOME", "/home/ada"), Os.LINUX);
    private final Path launcher = Path.of("/home/ada/.local/bin/vmtrust");

    @Test
    void eachOsGetsItsServiceManager() {
        assertThat(ServiceManagers.forOs(Os.MACOS, runner, env, launcher)).isInstanceOf(LaunchdService.class);
        assertThat(ServiceManagers.forOs(Os.LINUX, runner, env, launcher)).isInstanceOf(SystemdUserService.class);
        assertThat(ServiceManagers.forOs(Os.OTHER, runner, env, launcher)).isInstanceOf(UnsupportedService.class);
    }

    @Test
    void anUnsupportedOsSaysWhyAndRunsNothing() throws Exception {
        ServiceManager s = new UnsupportedService("Windows 11");

        InstallResult r = s.install(false);

        assertThat(r.ok()).isFalse();
        assertThat(r.message())
                .isEqualTo(
                        "vmtrust install supports macOS (launchd) and Linux (systemd --user) only, "
                                + "not Windows 11; run `vmtrust run` in the foreground or from your own service manager instead");
        assertThat(s.uninstall().outcome()).isEqualTo(UninstallResult.Outcome.UNSUPPORTED);
        assertThat(runner.calls()).isEmpty();
    }
}
