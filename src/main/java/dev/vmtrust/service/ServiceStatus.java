package dev.vmtrust.service;

import java.nio.file.Path;

/**
 * The agent as {@code doctor} sees it. {@code installed}: the service file exists; {@code current}: it is
 * exactly what {@code install} would write now (same launcher path, same template); {@code enabled}:
 * launchd has it loaded in {@code gui/<uid>} / systemd has it enabled; {@code running}: {@code launchctl
 * print} shows {@code state = running} / {@code systemctl --user is-active} says {@code active}.
 * {@code detail} is one human sentence, with the next step when something is off.
 */
public record ServiceStatus(boolean supported, Path file, boolean installed, boolean current, boolean enabled,
                            boolean running, String detail) {

    public boolean healthy() { return supported && installed && current && enabled && running; }
}
