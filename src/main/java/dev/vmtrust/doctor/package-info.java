/**
 * {@code vmtrust doctor}: read-only checks of the config, the sources, the CA set, the VM homes, each target
 * (SSH, sudo, trust tool, stamp, pending restart, provision entry), TLS probes from the host and from inside
 * each VM, and the agent. Each check is a {@link dev.vmtrust.doctor.Check} with a next step; nothing here
 * changes a VM or a file.
 *
 * <p>May import: config, json, platform, reconcile, service, source, ssh, trust, vm.
 */
package dev.vmtrust.doctor;
