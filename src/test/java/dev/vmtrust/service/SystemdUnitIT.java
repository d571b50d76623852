package dev.vmtrust.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.FakeCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the rendered unit's {@code ExecStart=} for real: the launcher is a temp shell script that records
 * its {@code $0} and its arguments, so a wrong path, a lost argument or broken
 * quoting shows up. The line is split the way systemd does (words, double quotes with backslash escapes,
 * {@code %%} and {@code $$} for literal {@code %} and {@code $}); systemd itself is never involved.
 */
class SystemdUnitIT {
    private static final String RECORDER = """
            #!/bin/sh
            { printf '%s\\n' "$0"; for a in "$@"; do printf 'arg=%s\\n' "$a"; done; } > "$(dirname "$0")/argv.txt"
            exit 0
            """;

    @TempDir
    Path tmp;

    @Test
    void execStartRunsThePlainLauncherPathWithRun() throws Exception {
        Path launcher = Launchers.create(tmp.resolve("bin/vmtrust"), RECORDER);

        List<String> recorded = execute(launcher);

        assertThat(recorded).containsExactly(launcher.toString(), "arg=run");
    }

    @Test
    void execStartSurvivesSpacesPercentDollarAndQuotesInThePath() throws Exception {
        Path launcher = Launchers.create(tmp.resolve("My Tools/100% \"v\"/$HOME/vmtrust"), RECORDER);

        List<String> recorded = execute(launcher);

        assertThat(recorded).startsWith(launcher.toString(), "arg=run");
    }

    private List<String> execute(Path launcher) throws Exception {
        Environment env = new Environment(Map.of("HOME", tmp.toString()), Os.LINUX);
        String unit = new SystemdUserService(new FakeCommandRunner(), env, launcher).render();
        List<String> argv = null;
        Map<String, String> vars = new HashMap<>();
        for (String line : unit.lines().toList()) {
            if (line.startsWith("ExecStart=")) argv = split(line.substring("ExecStart=".length()));
            if (line.startsWith("Environment=")) {
                for (String kv : split(line.substring("Environment=".length()))) {
                    vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
        }
        assertThat(argv).isNotNull();
        CommandResult r = new ProcessRunner(vars).run(argv, Duration.ofSeconds(10));
        assertThat(r.exitCode()).as(r.failureMessage()).isZero();
        return Files.readAllLines(launcher.resolveSibling("argv.txt"));
    }

    /** systemd's word splitting for the subset vmtrust writes; anything else fails the test. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!quoted && c == ' ') {
                if (w != null) words.add(w.toString());
                w = null;
                continue;
            }
            if (w == null) w = new StringBuilder();
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\') {
                char e = line.charAt(++i);
                if (e != '\\' && e != '"') throw new AssertionError("unexpected escape \\" + e + " in " + line);
                w.append(e);
            } else if (c == '%' || c == '$') {
                if (i + 1 >= line.length() || line.charAt(i + 1) != c) {
                    throw new AssertionError("systemd would expand " + c + " in " + line);
                }
                w.append(c);
                i++;
            } else {
                w.append(c);
            }
        }
        if (quoted) throw new AssertionError("unterminated quote in " + line);
        if (w != null) words.add(w.toString());
        return words;
    }
}
