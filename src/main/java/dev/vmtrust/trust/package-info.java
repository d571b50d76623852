/**
 * Certificates: the strict PEM/DER/PKCS#7 parser (private-key blocks are cut out before any parser sees
 * them), {@link dev.vmtrust.trust.CaCert} and the desired set {@link dev.vmtrust.trust.CaBundle} with its
 * fingerprint, and the reasons an input was refused.
 *
 * <p>May import: nothing of vmtrust's.
 */
package dev.vmtrust.trust;
