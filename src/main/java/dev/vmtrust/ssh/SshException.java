package dev.vmtrust.ssh;

/**
 * A typed SSH failure whose message is ready for the user: what, where, and the next step.
 * {@link Kind} lets callers tell "the VM is not reachable" from "the command failed to finish".
 */
public final class SshException extends Exception {

    public enum Kind {
        /** ssh.config missing or incomplete, key missing or unusable. */
        CONFIG,
        /** The host in ssh.config is neither loopback nor listed in ssh.allowHosts. */
        POLICY,
        /** Nothing listens on the port. */
        REFUSED,
        /** TCP connect, handshake or authentication did not finish within the connect timeout. */
        TIMEOUT,
        /** The server rejected the instance key. */
        AUTH,
        /** Other connection or session failure. */
        CONNECTION,
        /** A command did not finish within its timeout. */
        COMMAND_TIMEOUT
    }

    private final Kind kind;
    private final boolean beforeCommand;

    public SshException(Kind kind, String message) {
        super(message);
        this.kind = kind;
        this.beforeCommand = false;
    }

    public SshException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    /** {@code beforeCommand}: see {@link #beforeCommand()}. */
    public SshException(Kind kind, String message, Throwable cause, boolean beforeCommand) {
        super(message, cause);
        this.kind = kind;
        this.beforeCommand = beforeCommand;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * True when an exec failed before its command could reach the VM (the channel could not be opened, or the
     * request to run it could not be sent): nothing ran, so the same exec on another session is safe.
     */
    public boolean beforeCommand() {
        return beforeCommand;
    }

    /** True when the VM could not be reached at all (the target's state is then "unreachable"). */
    public boolean unreachable() {
        return kind != Kind.COMMAND_TIMEOUT;
    }
}
