package dev.vmtrust.source;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A cheap fingerprint of the Mac's trust settings: SHA-256 over the exit codes and output of
 * {@code security dump-trust-settings} (the user's) and {@code security dump-trust-settings -d} (the admin's).
 * Since macOS 14 these live in {@code /var/protected/trustd}, which no process may watch, so the agent polls
 * this. "No Trust Settings were found" (exit 1) is a state like any other. Never includes certificate data.
 */
public final class TrustSettings {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TrustSettings() {}

    /** Empty when {@code security} could not be run or timed out (nothing to compare then). */
    public static Optional<String> fingerprint(CommandRunner runner, Path security) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (List<String> argv : List.of(
                    List.of(security.toString(), "dump-trust-settings"),
                    List.of(security.toString(), "dump-trust-settings", "-d"))) {
                CommandResult r = runner.run(argv, TIMEOUT);
                sha.update(
                        (r.exitCode() + "\n" + r.stdout() + "\n" + r.stderr() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return Optional.of(HexFormat.of().formatHex(sha.digest()));
        } catch (CommandException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
