/**
 * The config file: its locations (XDG, {@code VMTRUST_CONFIG}, {@code --config}), loading and validation
 * (every problem at once, each with file and key path), the defaults, and the immutable
 * {@link dev.vmtrust.config.Config} value the rest of the program reads. Also {@link dev.vmtrust.config.Locations}:
 * where vmtrust's own state, logs and the VM homes are on this machine.
 *
 * <p>May import: platform.
 */
package dev.vmtrust.config;
