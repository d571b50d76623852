package dev.vmtrust.ssh;

import java.time.Duration;

/**
 * One authenticated SSH session to one VM. {@link #exec} may be called several times (one session per
 * VM per reconcile); calls are not meant to run concurrently on one shell. Never prompts.
 */
public interface RemoteShell extends AutoCloseable {

    /**
     * Runs {@code command} through the login user's shell, feeds it {@code stdin} (null = empty) then
     * EOF, and waits for it to end. Throws {@link SshException} when it does not end within
     * {@code timeout} (the channel is then closed) or when the session is lost. A non-zero exit status
     * is a result, not an exception.
     */
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException;

    /**
     * {@link #exec} with {@code stdin} as UTF-8 text. The real shell streams it (no byte[] copy per VM);
     * this default, for fakes, encodes it at once.
     */
    default ExecResult exec(String command, String stdin, Duration timeout) throws SshException {
        return exec(command, stdin == null ? null : stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8), timeout);
    }

    /** False once the session is known to be gone (the peer closed it, keepalives went unanswered, or close()). */
    default boolean isOpen() {
        return true;
    }

    /** Ends the session; idempotent, never throws. */
    @Override
    void close();
}
