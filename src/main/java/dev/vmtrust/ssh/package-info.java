/**
 * Talking to a VM: Lima's {@code ssh.config} parsed by vmtrust, the loopback-only host policy, and JSch
 * sessions that run one command with stdin, bounded time and bounded output. Only the instance's own key is
 * used; nothing from a VM reaches a host shell.
 *
 * <p>May import: config, platform.
 */
package dev.vmtrust.ssh;
