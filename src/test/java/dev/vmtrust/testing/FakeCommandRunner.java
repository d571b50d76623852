package dev.vmtrust.testing;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written {@link CommandRunner} for tests: records every call (argv, stdin, timeout) and answers
 * from a script keyed by the exact argv. Scripted answers are used in order; the last one repeats.
 * An argv with no script gets {@link #fallback} (exit 0, no output, unless changed).
 * A scripted failure throws {@link CommandException}, as a timeout or a missing program would.
 */
public final class FakeCommandRunner implements CommandRunner {
    /** One recorded call. */
    public record Call(List<String> argv, byte[] stdin, Duration timeout) {
        public String stdinText() {
            return new String(stdin, StandardCharsets.UTF_8);
        }
    }

    private sealed interface Answer permits Exit, Throw {}

    private record Exit(int code, String stdout, String stderr) implements Answer {}

    private record Throw(String message) implements Answer {}

    private final Map<List<String>, Deque<Answer>> script = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private Exit fallback = new Exit(0, "", "");

    /** Appends an answer for exactly {@code argv}. */
    public FakeCommandRunner on(List<String> argv, int exit, String stdout, String stderr) {
        return add(argv, new Exit(exit, stdout, stderr));
    }

    /** Appends a {@link CommandException} (timeout, program not found) for exactly {@code argv}. */
    public FakeCommandRunner throwOn(List<String> argv, String message) {
        return add(argv, new Throw(message));
    }

    /** The answer for any argv without a script. */
    public FakeCommandRunner fallback(int exit, String stdout, String stderr) {
        fallback = new Exit(exit, stdout, stderr);
        return this;
    }

    private FakeCommandRunner add(List<String> argv, Answer a) {
        script.computeIfAbsent(List.copyOf(argv), k -> new ArrayDeque<>()).addLast(a);
        return this;
    }

    @Override
    public synchronized CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws CommandException {
        if (timeout == null) throw new IllegalArgumentException("a timeout is mandatory");
        calls.add(new Call(List.copyOf(argv), stdin.clone(), timeout));
        Deque<Answer> q = script.get(argv);
        Answer a = q == null || q.isEmpty() ? fallback : q.size() > 1 ? q.pollFirst() : q.peekFirst();
        if (a instanceof Throw t) throw new CommandException(t.message());
        Exit e = (Exit) a;
        return new CommandResult(argv, e.code(), e.stdout(), e.stderr());
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The argv of every call, in order. */
    public synchronized List<List<String>> argvs() {
        return calls.stream().map(Call::argv).toList();
    }
}
