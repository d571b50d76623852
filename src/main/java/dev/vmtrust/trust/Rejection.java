package dev.vmtrust.trust;

/**
 * One input that did not become a CA, and why. {@code source} is a label such as {@code file:/path} or
 * {@code keychain:/Library/Keychains/System.keychain}; {@code reason} is user-facing text that never
 * contains certificate or key bytes.
 */
public record Rejection(String source, String reason) {
    @Override
    public String toString() {
        return source + ": " + reason;
    }
}
