package dev.vmtrust.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A scripted {@link RemoteShell} for unit tests. Each exec is recorded ({@link #calls()}) and answered
 * by the next queued reply ({@link #reply}, {@link #fail}); when the queue is empty, by the
 * {@link #otherwise} responder (default: exit 0, no output). Exec after close throws, like a lost session.
 */
public final class FakeRemoteShell implements RemoteShell {

    /** One recorded exec. {@code stdin} is never null (empty when none was given). */
    public record Call(String command, byte[] stdin, Duration timeout) {
        public String stdinText() {
            return new String(stdin, StandardCharsets.UTF_8);
        }
    }

    /** Computes a reply from the call; may throw to simulate a failure. */
    @FunctionalInterface
    public interface Responder {
        ExecResult respond(Call call) throws SshException;
    }

    private final String targetName;
    private final Deque<Responder> queue = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();
    private Responder otherwise = call -> new ExecResult(0, "", "");
    private boolean closed;

    public FakeRemoteShell() {
        this("fake/vm");
    }

    public FakeRemoteShell(String targetName) {
        this.targetName = targetName;
    }

    public synchronized FakeRemoteShell reply(int exitCode, String stdout, String stderr) {
        ExecResult r = new ExecResult(exitCode, stdout, stderr);
        queue.add(call -> r);
        return this;
    }

    public synchronized FakeRemoteShell reply(Responder responder) {
        queue.add(responder);
        return this;
    }

    public synchronized FakeRemoteShell fail(SshException e) {
        queue.add(call -> {
            throw e;
        });
        return this;
    }

    /** The responder used once the queue is empty. */
    public synchronized FakeRemoteShell otherwise(Responder responder) {
        this.otherwise = responder;
        return this;
    }

    @Override
    public synchronized ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
        if (closed) {
            throw new SshException(SshException.Kind.CONNECTION, targetName + ": exec on a closed shell (fake)");
        }
        Call call = new Call(command, stdin == null ? new byte[0] : stdin.clone(), timeout);
        calls.add(call);
        Responder r = queue.isEmpty() ? otherwise : queue.poll();
        return r.respond(call);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean closed() {
        return closed;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> commands() {
        return calls.stream().map(Call::command).toList();
    }
}
