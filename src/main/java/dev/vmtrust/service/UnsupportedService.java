package dev.vmtrust.service;

import java.util.List;

/** Neither macOS nor Linux: nothing to install into; every answer says why and what to do instead. */
public final class UnsupportedService implements ServiceManager {
    private final String why;

    public UnsupportedService(String osName) {
        this.why = "vmtrust install supports macOS (launchd) and Linux (systemd --user) only, not " + osName
                + "; run `vmtrust run` in the foreground or from your own service manager instead";
    }

    @Override
    public InstallResult install(boolean dryRun) {
        return new InstallResult(InstallResult.Outcome.UNSUPPORTED, dryRun, null, null, List.of(), why);
    }

    @Override
    public UninstallResult uninstall() {
        return new UninstallResult(UninstallResult.Outcome.UNSUPPORTED, null, List.of(), why);
    }
}
