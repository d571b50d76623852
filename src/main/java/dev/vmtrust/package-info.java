/**
 * vmtrust: keeps the corporate CAs a Mac (or Linux host) trusts installed in every Colima and Lima VM.
 * {@link dev.vmtrust.Main} builds the real {@link dev.vmtrust.cli.Context} and hands it to the command line.
 * Each subpackage's {@code package-info} says what it owns and what it may import; PackageRulesTest checks it.
 *
 * <p>May import: every other package (Main starts the command line).
 */
package dev.vmtrust;
