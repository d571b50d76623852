/**
 * The VMs: discovering Colima profiles and Lima instances ({@link dev.vmtrust.vm.TargetRef}), whether a VM
 * runs, and the two parts of reconciling one: the live part ({@link dev.vmtrust.vm.LiveSync}: observe the
 * running VM, plan with {@link dev.vmtrust.vm.Planner}, apply only the plan; its result is the sealed
 * {@link dev.vmtrust.vm.LiveResult}) and the persisted part ({@link dev.vmtrust.vm.PersistSync}: vmtrust's
 * provision entry in colima.yaml or lima.yaml). The subpackages hold the Colima and Lima specifics, the YAML
 * editor and the in-VM script.
 *
 * <p>May import: config, platform, ssh, trust (and its own subpackages).
 */
package dev.vmtrust.vm;
