/**
 * Installing vmtrust as a user service: a launchd agent on macOS, a systemd --user unit on Linux, from the
 * templates in the jar; the environment recorded in them so the agent sees what the CLI sees; install,
 * uninstall and status through {@code launchctl} and {@code systemctl}, with messages for their refusals.
 *
 * <p>May import: platform.
 */
package dev.vmtrust.service;
