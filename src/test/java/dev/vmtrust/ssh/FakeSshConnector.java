package dev.vmtrust.ssh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SshConnector} for unit tests: hands out a {@link FakeRemoteShell} per target name (the same
 * one on every connect, so scripts and recorded calls span reconciles), or throws a scripted failure.
 * Records every connect.
 */
public final class FakeSshConnector implements SshConnector {

    public record Connect(SshEndpoint endpoint, String targetName) {}

    private final Map<String, FakeRemoteShell> shells = new HashMap<>();
    private final Map<String, SshException> failures = new HashMap<>();
    private final List<Connect> connects = new ArrayList<>();
    private int open;

    /** The shell for {@code targetName}, created on first use; script it before the code under test runs. */
    public synchronized FakeRemoteShell shell(String targetName) {
        return shells.computeIfAbsent(targetName, FakeRemoteShell::new);
    }

    /** Every later connect to {@code targetName} throws {@code e} (until {@link #heal}). */
    public synchronized FakeSshConnector failWith(String targetName, SshException e) {
        failures.put(targetName, e);
        return this;
    }

    /** Connects to {@code targetName} succeed again. */
    public synchronized FakeSshConnector heal(String targetName) {
        failures.remove(targetName);
        return this;
    }

    @Override
    public synchronized RemoteShell connect(SshEndpoint endpoint, String targetName) throws SshException {
        connects.add(new Connect(endpoint, targetName));
        SshException e = failures.get(targetName);
        if (e != null) throw e;
        FakeRemoteShell shell = shell(targetName);
        open++;
        return new RemoteShell() { // a fresh handle per connect over the shared fake; close() ends only this handle
            private boolean closed;

            @Override
            public ExecResult exec(String command, byte[] stdin, java.time.Duration timeout) throws SshException {
                if (closed)
                    throw new SshException(SshException.Kind.CONNECTION, targetName + ": exec after close (fake)");
                return shell.exec(command, stdin, timeout);
            }

            @Override
            public void close() {
                synchronized (FakeSshConnector.this) {
                    if (!closed) open--;
                    closed = true;
                }
            }
        };
    }

    public synchronized List<Connect> connects() {
        return List.copyOf(connects);
    }

    /** Shells handed out and not closed yet: 0 after code that closes what it opens. */
    public synchronized int openShells() {
        return open;
    }
}
