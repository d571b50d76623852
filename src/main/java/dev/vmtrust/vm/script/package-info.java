/**
 * The in-VM script: one POSIX sh text (a resource) for the live push and the provision entry, rendered with
 * the CA set, and the parser of what it prints. Nothing from a certificate reaches the script as code.
 *
 * <p>May import: config, platform, trust.
 */
package dev.vmtrust.vm.script;
