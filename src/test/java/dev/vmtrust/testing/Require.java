package dev.vmtrust.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a host tool skips where it is missing, except in CI ({@code VMTRUST_IT_REQUIRED=1}, set by
 * .ci/run, which installs every tool): there a missing tool fails the test, so a skipped check can never pass.
 */
public final class Require {
    private Require() {}

    /** Requires the first executable of {@code paths} (e.g. /usr/bin/curl, /bin/curl); returns it. */
    public static Path tool(String why, String... paths) {
        for (String p : paths) if (Files.isExecutable(Path.of(p))) return Path.of(p);
        condition(false, why + ": " + String.join(" or ", paths) + " is not installed");
        return null;
    }

    public static void condition(boolean ok, String why) {
        if (ok) return;
        if ("1".equals(System.getenv("VMTRUST_IT_REQUIRED")))
            fail(why + " (VMTRUST_IT_REQUIRED=1: .ci/run installs it)");
        Assumptions.assumeTrue(false, why);
    }
}
