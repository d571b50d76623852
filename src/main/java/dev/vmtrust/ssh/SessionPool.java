package dev.vmtrust.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SshConnector} that keeps one SSH session per VM open between rounds, over a connector that opens
 * fresh ones ({@link JschConnector}): the agent pays the SSH handshake once per VM, not once per VM per round.
 * {@code sync} and the other one-shot commands keep using fresh connects.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every {@link #connect} runs the fresh connector's {@link SshConnector#vet} first (the SSH host policy:
 *       loopback only unless listed), so a kept session is used only when a fresh connect would be allowed to
 *       the same place.</li>
 *   <li>A kept session is reused only for the same target and the same endpoint: user, checked address and
 *       port, identity file path and that file's size, mtime and inode. A VM restarted on another port, or a key
 *       that was replaced, gets a new session; the old one is closed.</li>
 *   <li>One caller at a time per session: {@link #connect} hands a kept session out exclusively; a second
 *       caller for the same target meanwhile gets a fresh session (the extra one is closed when returned).</li>
 *   <li>A kept session that turns out broken never fails an exec that a fresh connect would pass: when the
 *       exec failed before its command reached the VM ({@link SshException#beforeCommand()}), it is retried
 *       once on a fresh session. A failure after the command started is reported as it is (the command may
 *       have run), and the session is not kept.</li>
 *   <li>Sessions the peer closed (VM stopped) or that stopped answering keepalives (JschConnector sends one
 *       every {@code ssh.connectTimeout}; three missed end the session; measured: 8 kept sessions' keepalives
 *       cost under 10 ms of CPU a minute) are dropped; sessions not used for {@code idleLimit} are closed at
 *       the next connect. {@link #close()} closes every session, kept or in use.</li>
 * </ul>
 * Thread-safe: targets run in parallel.
 */
public final class SessionPool implements SshConnector, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionPool.class);

    private final SshConnector fresh;
    private final long idleLimitNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Kept> kept = new HashMap<>(); // by target name; guarded by this
    private final Set<RemoteShell> live = new HashSet<>(); // every session not yet closed; guarded by this
    private boolean closed;
    private long opened;
    private long reused;

    /** A session waiting for its next use. */
    private record Kept(String key, RemoteShell shell, long since) {}

    /**
     * The agent's pool: sessions idle for longer than two resync intervals are closed, so the periodic resync of
     * a running VM never pays a handshake.
     */
    public static SessionPool forAgent(SshConnector fresh, Duration resync) {
        return new SessionPool(fresh, resync.multipliedBy(2), System::nanoTime);
    }

    SessionPool(SshConnector fresh, Duration idleLimit, LongSupplier nanoTime) {
        this.fresh = fresh;
        this.idleLimitNanos = idleLimit.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public String vet(SshEndpoint endpoint, String targetName) throws SshException {
        return fresh.vet(endpoint, targetName);
    }

    @Override
    public RemoteShell connect(SshEndpoint endpoint, String targetName) throws SshException {
        List<RemoteShell> stale = new ArrayList<>();
        String key;
        try {
            try {
                key = fresh.vet(endpoint, targetName) + " " + endpoint.user() + " " + keyFile(endpoint);
            } catch (SshException e) { // not allowed (any more): keep nothing for this target
                synchronized (this) {
                    Kept k = kept.remove(targetName);
                    if (k != null) drop(k.shell(), stale);
                }
                throw e;
            }
            synchronized (this) {
                if (closed) throw stopping(targetName);
                sweep(stale);
                Kept k = kept.remove(targetName);
                if (k != null && k.key().equals(key) && k.shell().isOpen()) {
                    reused++;
                    log.debug("{}: reusing the SSH session", targetName);
                    return new Lease(endpoint, targetName, key, k.shell(), true);
                }
                if (k != null) {
                    log.debug(
                            "{}: new SSH session ({})",
                            targetName,
                            k.key().equals(key) ? "the kept one was closed" : "the endpoint changed");
                    drop(k.shell(), stale);
                }
            }
        } finally {
            stale.forEach(RemoteShell::close);
        }
        return new Lease(endpoint, targetName, key, open(endpoint, targetName), false);
    }

    /** Closes every session, kept or in use (an exec in progress then fails); later connects fail. Idempotent. */
    @Override
    public void close() {
        List<RemoteShell> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(live);
            live.clear();
            kept.clear();
        }
        all.forEach(RemoteShell::close);
    }

    /** Sessions opened so far (handshakes), and connects served by a kept session. */
    synchronized long opened() {
        return opened;
    }

    synchronized long reused() {
        return reused;
    }

    /** Sessions open right now, kept or in use. */
    synchronized int openSessions() {
        return live.size();
    }

    private RemoteShell open(SshEndpoint endpoint, String targetName) throws SshException {
        RemoteShell shell = fresh.connect(endpoint, targetName);
        synchronized (this) {
            opened++;
            if (!closed) {
                live.add(shell);
                return shell;
            }
        }
        shell.close();
        throw stopping(targetName);
    }

    private static SshException stopping(String targetName) {
        return new SshException(SshException.Kind.CONNECTION, targetName + ": the agent is stopping");
    }

    /** Kept sessions that are closed or idle too long go to STALE (closed by the caller, outside the lock). */
    private void sweep(List<RemoteShell> stale) {
        long now = nanoTime.getAsLong();
        for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
            Kept k = it.next();
            if (!k.shell().isOpen() || now - k.since() > idleLimitNanos) {
                it.remove();
                drop(k.shell(), stale);
            }
        }
    }

    /** No longer counted as open; closed by the caller through STALE, outside the lock. Caller holds the lock. */
    private void drop(RemoteShell shell, List<RemoteShell> stale) {
        live.remove(shell);
        stale.add(shell);
    }

    /** Back from a lease: kept when healthy, else closed. */
    private void giveBack(String targetName, String key, RemoteShell shell, boolean healthy) {
        boolean keep;
        synchronized (this) {
            keep = healthy && !closed && shell.isOpen() && !kept.containsKey(targetName);
            if (keep) kept.put(targetName, new Kept(key, shell, nanoTime.getAsLong()));
            else live.remove(shell);
        }
        if (!keep) shell.close();
    }

    private synchronized void forget(RemoteShell shell) {
        live.remove(shell);
    }

    /**
     * The identity file as far as it tells one key from another without reading it: path, size, mtime, inode
     * ("missing" when it cannot be read; the fresh connect then reports why).
     */
    private static String keyFile(SshEndpoint endpoint) {
        try {
            BasicFileAttributes a =
                    Files.readAttributes(endpoint.identityFile(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return endpoint.identityFile() + " " + a.size() + " "
                    + a.lastModifiedTime().toMillis() + " " + a.fileKey();
        } catch (IOException | RuntimeException e) {
            return endpoint.identityFile() + " missing";
        }
    }

    /** One caller's use of a session; close() hands it back to the pool. */
    private final class Lease implements RemoteShell {
        private final SshEndpoint endpoint;
        private final String targetName;
        private final String key;
        private RemoteShell shell;
        private boolean reusedSession; // true while the session came from the pool and has not been replaced
        private boolean healthy = true;
        private boolean done;

        Lease(SshEndpoint endpoint, String targetName, String key, RemoteShell shell, boolean reusedSession) {
            this.endpoint = endpoint;
            this.targetName = targetName;
            this.key = key;
            this.shell = shell;
            this.reusedSession = reusedSession;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
            return run(s -> s.exec(command, stdin, timeout));
        }

        @Override
        public ExecResult exec(String command, String stdin, Duration timeout) throws SshException {
            return run(s -> s.exec(command, stdin, timeout));
        }

        private ExecResult run(Exec exec) throws SshException {
            if (done) throw new SshException(SshException.Kind.CONNECTION, targetName + ": exec after close");
            try {
                return exec.on(shell);
            } catch (SshException e) {
                if (!(reusedSession && e.beforeCommand())) {
                    if (e.kind() != SshException.Kind.COMMAND_TIMEOUT)
                        healthy = false; // after a timeout the session stays usable
                    throw e;
                }
                log.debug("{}: the kept SSH session is broken ({}); retrying on a new one", targetName, e.getMessage());
                forget(shell);
                shell.close();
                reusedSession = false;
                shell = open(endpoint, targetName);
            }
            try {
                return exec.on(shell);
            } catch (SshException e) {
                if (e.kind() != SshException.Kind.COMMAND_TIMEOUT) healthy = false;
                throw e;
            }
        }

        @Override
        public boolean isOpen() {
            return !done && shell.isOpen();
        }

        @Override
        public void close() {
            if (done) return;
            done = true;
            giveBack(targetName, key, shell, healthy);
        }
    }

    @FunctionalInterface
    private interface Exec {
        ExecResult on(RemoteShell shell) throws SshException;
    }
}
