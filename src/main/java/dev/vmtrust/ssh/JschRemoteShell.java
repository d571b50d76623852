package dev.vmtrust.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.vmtrust.platform.Durations;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A {@link RemoteShell} on one connected JSch {@link Session}; each exec opens one "exec" channel.
 *
 * <p>Streams: stdin is handed to JSch as an InputStream, so JSch's channel thread sends it and then
 * EOF (a null stdin is sent as empty: a command reading stdin never waits for input that does not
 * come). stdout/stderr are collected by JSch's session thread into capped buffers (no pipes, which
 * would stall the session when not drained). The exec waits until the channel is closed; the exit
 * status arrives before the close.
 *
 * <p>On command timeout the channel gets a KILL signal and is closed; the session stays usable for
 * later commands. OpenSSH delivers the signal (killpg) only for non-root logins: after a root login it
 * runs without privilege separation and refuses ("session signalling requires privilege separation").
 * Lima and Colima log in as the user, so this works there; otherwise, without a pty, the remote process
 * lives on until it ends or next writes to its closed output.
 */
final class JschRemoteShell implements RemoteShell {
    static final int OUTPUT_CAP = 4 * 1024 * 1024;
    private static final long POLL_MS = 10;

    private final Session session;
    private final String targetName;
    private final int channelOpenMs;

    JschRemoteShell(Session session, String targetName, int channelOpenMs) {
        this.session = session;
        this.targetName = targetName;
        this.channelOpenMs = channelOpenMs;
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CappedBuffer out = new CappedBuffer();
        CappedBuffer err = new CappedBuffer();
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setInputStream(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin), false);
            channel.setOutputStream(out, true);
            channel.setErrStream(err, true);
            channel.connect(channelOpenMs);
            while (!channel.isClosed()) {
                if (System.nanoTime() - deadline >= 0) {
                    kill(channel);
                    throw new SshException(SshException.Kind.COMMAND_TIMEOUT, targetName + ": the command "
                            + summary(command) + " did not finish within " + Durations.format(timeout)
                            + "; the VM may be overloaded or hung; try: " + VmHints.restart(targetName));
                }
                Thread.sleep(POLL_MS);
            }
            return new ExecResult(channel.getExitStatus(), out.text(), err.text());
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.CONNECTION, targetName + ": lost the SSH session while running "
                    + summary(command) + " (" + e.getMessage() + "); try: " + VmHints.restart(targetName), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(channel);
            throw new SshException(SshException.Kind.CONNECTION, targetName + ": interrupted while running "
                    + summary(command), e);
        } finally {
            if (channel != null) channel.disconnect();
        }
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

    /** Keeps the first {@link #OUTPUT_CAP} bytes; notes when more were dropped. Thread-safe. */
    private static final class CappedBuffer extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long dropped;

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < OUTPUT_CAP) bytes.write(b);
            else dropped++;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, Math.min(len, OUTPUT_CAP - bytes.size()));
            bytes.write(b, off, room);
            dropped += len - room;
        }

        synchronized String text() {
            String s = bytes.toString(StandardCharsets.UTF_8);
            return dropped == 0 ? s : s + "\n[vmtrust: " + dropped + " more bytes dropped]";
        }
    }
}
