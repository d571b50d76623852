/**
 * Colima's layout: profile names and folders, and the profiles found under {@code COLIMA_HOME}.
 *
 * <p>May import: vm, and what vm may import.
 */
package dev.vmtrust.vm.colima;
