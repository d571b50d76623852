package dev.vmtrust.bench;

import dev.vmtrust.it.Cmd;
import dev.vmtrust.it.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Host commands for the benchmark, through the harness's {@link Cmd} (argv lists, temp-file output, a timeout each). */
final class Sh {
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Sh() {}

    static Result run(List<String> cmd) {
        return run(cmd, Map.of(), null, Duration.ofMinutes(3));
    }

    /** Runs CMD with ENV added to this process's environment (a null value removes the variable). */
    static Result run(List<String> cmd, Map<String, String> env, Path stdin, Duration timeout) {
        ExecResult r = Cmd.run(cmd, timeout, stdin, env);
        return new Result(r.exitCode(), r.stdout(), r.stderr());
    }

    static Result check(Result r, String what) {
        if (!r.ok()) throw new IllegalStateException(what + " failed: " + r);
        return r;
    }

    static String check(String... cmd) {
        return check(run(List.of(cmd)), String.join(" ", cmd)).out();
    }
}
