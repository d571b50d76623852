package dev.vmtrust.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.vmtrust.platform.Durations;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;

/**
 * A {@link RemoteShell} on one connected JSch {@link Session}; each exec opens one "exec" channel.
 *
 * <p>Streams: stdin is handed to JSch as an InputStream (text is encoded as it is sent, see
 * {@link TextInputStream}), so JSch's channel thread sends it and then EOF (a null stdin is sent as
 * empty: a command reading stdin never waits for input that does not come). stdout/stderr are written
 * by JSch's session thread into {@link BoundedSink}s that always accept and keep only a head and a
 * tail within the process-wide {@link OutputBudget} (no pipes, which would stall the session when not
 * drained). The exec waits until the channel is closed; the exit
 * status arrives before the close.
 *
 * <p>On command timeout the channel gets a KILL signal and is closed; the session stays usable for
 * later commands. OpenSSH delivers the signal (killpg) only for non-root logins: after a root login it
 * runs without privilege separation and refuses ("session signalling requires privilege separation").
 * Lima and Colima log in as the user, so this works there; otherwise, without a pty, the remote process
 * lives on until it ends or next writes to its closed output.
 */
final class JschRemoteShell implements RemoteShell {
    /** Kept per stream: stdout carries the script's facts (5000 "file" lines are 155 KB), stderr chatter. */
    static final int STDOUT_HEAD = 1 << 20, STDERR_HEAD = 64 << 10, TAIL = 64 << 10;

    private static final long POLL_MS = 10;

    private final Session session;
    private final String targetName;
    private final int channelOpenMs;
    private final OutputBudget budget;

    JschRemoteShell(Session session, String targetName, int channelOpenMs, OutputBudget budget) {
        this.session = session;
        this.budget = budget;
        this.targetName = targetName;
        this.channelOpenMs = channelOpenMs;
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
        return run(command, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin), timeout);
    }

    @Override
    public ExecResult exec(String command, String stdin, Duration timeout) throws SshException {
        return run(command, new TextInputStream(stdin), timeout);
    }

    private ExecResult run(String command, InputStream stdin, Duration timeout) throws SshException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BoundedSink out = new BoundedSink(budget, STDOUT_HEAD, TAIL);
        BoundedSink err = new BoundedSink(budget, STDERR_HEAD, TAIL);
        ChannelExec channel = null;
        // Until connect returns, the command has not reached the VM: JSch opens the channel, then writes the exec
        // request (no reply awaited, no pty/env requests before it); a failure up to there means nothing ran.
        boolean sent = false;
        try {
            channel = (ChannelExec) session.openChannel("exec"); // null when the session is down
            if (channel == null) throw new JSchException("session is down");
            channel.setCommand(command);
            channel.setInputStream(stdin, false);
            channel.setOutputStream(out, true);
            channel.setErrStream(err, true);
            channel.connect(channelOpenMs);
            sent = true;
            while (!channel.isClosed()) {
                if (System.nanoTime() - deadline >= 0) {
                    kill(channel);
                    throw new SshException(
                            SshException.Kind.COMMAND_TIMEOUT,
                            targetName + ": the command "
                                    + summary(command) + " did not finish within " + Durations.format(timeout)
                                    + "; the VM may be overloaded or hung; try: " + VmHints.restart(targetName));
                }
                if (!session.isConnected()) { // the session thread died (e.g. an Error): do not wait out the timeout
                    throw new SshException(
                            SshException.Kind.CONNECTION,
                            targetName + ": lost the SSH session while running " + summary(command) + "; try: "
                                    + VmHints.restart(targetName));
                }
                Thread.sleep(POLL_MS);
            }
            channel.disconnect(); // no more writes into the sinks after this
            return new ExecResult(channel.getExitStatus(), out.text(), err.text(), out.dropped());
        } catch (JSchException e) {
            throw new SshException(
                    SshException.Kind.CONNECTION,
                    targetName + ": lost the SSH session while running " + summary(command) + " (" + e.getMessage()
                            + "); try: " + VmHints.restart(targetName),
                    e,
                    !sent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(channel);
            throw new SshException(
                    SshException.Kind.CONNECTION, targetName + ": interrupted while running " + summary(command), e);
        } finally {
            if (channel != null) channel.disconnect();
            out.release();
            err.release();
        }
    }

    @Override
    public boolean isOpen() {
        return session.isConnected();
    }

    @Override
    public void close() {
        session.disconnect();
    }

    private static void kill(ChannelExec channel) {
        if (channel == null) return;
        try {
            channel.sendSignal("KILL");
        } catch (Exception ignored) {
            // best effort: the channel is closed right after anyway
        }
        channel.disconnect();
    }

    /** The first line of the command, at most 60 characters, quoted. */
    static String summary(String command) {
        String first = command.strip().lines().findFirst().orElse("");
        if (first.length() > 60) first = first.substring(0, 57) + "...";
        else if (command.strip().lines().count() > 1) first = first + " ...";
        return "\"" + first + "\"";
    }
}
