/**
 * The operating system as vmtrust sees it: {@link dev.vmtrust.platform.Os} (the OS facts: service manager,
 * desktop channel, keychain host, host store, state and log folders), the environment, running commands
 * (argv only, bounded time, drained output), bounded file reads, the atomic file writer, ownership checks,
 * and {@link dev.vmtrust.platform.SafeText} (escaping for terminals, logs and notifications).
 *
 * <p>May import: nothing of vmtrust's (every other package may import it).
 */
package dev.vmtrust.platform;
