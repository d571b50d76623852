package dev.vmtrust.vm.script;

/**
 * A failure the script (or sudo in front of it) reported. Codes from the script: {@code usage},
 * {@code unknown-distro}, {@code no-trust-tool}, {@code write-failed}, {@code trust-update-failed},
 * {@code lock-timeout}, {@code restart-failed}, {@code not-root}, {@code no-certificates}; from the
 * host side ({@link ScriptOutput}): {@code sudo-password}, {@code failed} (no error line),
 * {@code bad-output} (a known line with a malformed value), {@code incomplete} (exit 0, no done line).
 */
public record ScriptError(String code, String message) {
    @Override
    public String toString() {
        return code + ": " + message;
    }
}
