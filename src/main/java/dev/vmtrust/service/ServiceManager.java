package dev.vmtrust.service;

/**
 * Installs vmtrust as the user's background agent (launchd on macOS, systemd --user on Linux).
 * Every operation is idempotent and its result says which case happened ("already" vs "now").
 * Implementations run every process through {@link dev.vmtrust.platform.CommandRunner}.
 */
public interface ServiceManager {
    /**
     * Writes the service file and (re)loads it; with {@code dryRun} only reads (probes like
     * {@code launchctl print} still run) and returns what it would write and run.
     * Throws when a file cannot be written or a load command fails; "no user session" is a result.
     */
    InstallResult install(boolean dryRun) throws ServiceException;

    /** Stops and unloads the agent and deletes its file; "not installed; nothing to do" when absent. */
    UninstallResult uninstall() throws ServiceException;
}
