/**
 * Where the CAs come from: the macOS Keychain (through {@code security}), cert files, vendor files (Netskope,
 * Zscaler), and a Linux host's own store; the public-root reference that keeps well-known roots out of the
 * set; include/exclude; and {@link dev.vmtrust.source.CaCollector}, which merges every source into the desired
 * {@link dev.vmtrust.trust.CaBundle} with what was refused and why.
 *
 * <p>May import: config, platform, trust.
 */
package dev.vmtrust.source;
