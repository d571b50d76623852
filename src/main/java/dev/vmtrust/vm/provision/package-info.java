/**
 * The provision-entry editor: splices only vmtrust's entry into a user's colima.yaml or lima.yaml by
 * SnakeYAML's marks, keeps every other byte, verifies by re-parsing, writes atomically with one backup, and
 * refuses files that are busy, broken or not the user's. Also the dry-run unified diff.
 *
 * <p>May import: platform.
 */
package dev.vmtrust.vm.provision;
