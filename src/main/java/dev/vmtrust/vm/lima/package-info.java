/**
 * Lima's layout: instances found under {@code LIMA_HOME} (Colima's own instances are left to vm.colima).
 *
 * <p>May import: vm, and what vm may import.
 */
package dev.vmtrust.vm.lima;
