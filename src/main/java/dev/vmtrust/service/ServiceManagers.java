package dev.vmtrust.service;

import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;

/** Picks the service manager for the OS (called once, from Main). */
public final class ServiceManagers {
    private ServiceManagers() {}

    /** {@code launcherPath}: the installed {@code vmtrust} launcher; the service runs {@code <launcher> run}. */
    public static ServiceManager forOs(Os os, CommandRunner runner, Environment env, Path launcherPath) {
        return switch (os.serviceManager()) {
            case LAUNCHD -> new LaunchdService(runner, env, launcherPath, d -> Thread.sleep(d.toMillis()));
            case SYSTEMD_USER -> new SystemdUserService(runner, env, launcherPath);
            case NONE -> new UnsupportedService(System.getProperty("os.name", "this system"));
        };
    }
}
