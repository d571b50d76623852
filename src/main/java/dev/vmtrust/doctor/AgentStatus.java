package dev.vmtrust.doctor;

import java.nio.file.Path;

/**
 * Whether the background agent is installed and running, for the {@code agent} check: the one place that asks
 * (install and uninstall ask their own questions). {@link UnitFileAgentStatus} looks at the unit/plist file and
 * asks systemctl/launchctl; tests pass a fixed snapshot.
 */
@FunctionalInterface
public interface AgentStatus {
    /** Never throws: a problem is in {@link Snapshot#detail()}. */
    Snapshot status();

    /**
     * @param supported false when this OS has no service manager vmtrust installs into
     * @param file      the unit or plist file (null when unsupported)
     * @param installed the file exists
     * @param running   true/false as the service manager says; null when it could not be asked
     *                  (no user bus, command missing or hung)
     * @param detail    one sentence on what the service manager said, or why it could not tell; may be null
     * @param startHint the command that starts an installed agent ({@code systemctl --user start ...})
     */
    record Snapshot(
            boolean supported, Path file, boolean installed, Boolean running, String detail, String startHint) {}
}
