package dev.vmtrust.doctor;

/**
 * What a host TLS probe saw.
 *
 * @param outcome    the verdict
 * @param detail     why, for NO_NETWORK, HANDSHAKE_FAILED and BROKEN; for the trusted outcomes the HEAD's
 *                   answer ({@code HTTP 200}) or null when none came back
 * @param issuer     RFC 2253 issuer name of the topmost certificate the server presented; null without a chain
 * @param rootSha256 when the topmost presented certificate is self-signed (the server sent its root), its
 *                   SHA-256 (lowercase hex); else null (the issuing root was not sent)
 */
public record TlsProbeResult(Outcome outcome, String detail, String issuer, String rootSha256) {

    public enum Outcome {
        /** The chain verifies with the CA set. */
        TRUSTED_BY_SET,
        /** The chain verifies with the public roots only: no interception. */
        TRUSTED_PUBLIC,
        /** The issuer is in the CA set but the chain does not verify (expired, bad signature...). */
        BROKEN,
        /** The issuer is neither a public root nor in the CA set. */
        UNKNOWN_ISSUER,
        /** No route, no name, refused or timed out: the probe could not tell. */
        NO_NETWORK,
        /** Reached the server but the TLS handshake failed before a certificate was seen. */
        HANDSHAKE_FAILED
    }

    public static TlsProbeResult failed(Outcome outcome, String detail) {
        return new TlsProbeResult(outcome, detail, null, null);
    }
}
