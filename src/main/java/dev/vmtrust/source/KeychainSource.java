package dev.vmtrust.source;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.CommandTimeoutException;
import dev.vmtrust.platform.Durations;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.CertParser;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The macOS keychains, read with {@code security find-certificate -a -Z -p KEYCHAIN}, labelled
 * {@code keychain:<path>}. Keeps CA certificates; with {@code trustedOnly}, only those for which
 * {@code security verify-cert -c FILE -L -l -R offline} exits 0 (Rancher Desktop's filter: chains to
 * something this Mac trusts, local certificates only, no network revocation), under the default (basic)
 * policy or, tried second, with {@code -p ssl}: a CA the user trusted for SSL only passes only there
 * (homebrew-core #103812). Keychains are full of non-CA and expired certificates: those are routine
 * {@link dev.vmtrust.trust.Screened#skipped()}, not rejections (a file in sources.files still reports each). Verify answers are cached
 * by fingerprint within one {@link #read()}. A missing keychain or a failing or hanging {@code security}
 * is a rejection of that keychain, never an exception.
 */
public final class KeychainSource implements TrustSource {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Config.Keychain config;
    private final CommandRunner runner;
    private final Clock clock;
    private final Duration timeout;
    private final Path tempDir;
    private final String program;

    public KeychainSource(Config.Keychain config, CommandRunner runner, Clock clock) {
        this(config, runner, clock, DEFAULT_TIMEOUT, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@code tempDir}: where the certificate handed to verify-cert is written (and deleted right after). */
    public KeychainSource(Config.Keychain config, CommandRunner runner, Clock clock, Duration timeout, Path tempDir) {
        this.config = config;
        this.runner = runner;
        this.clock = clock;
        this.timeout = timeout;
        this.tempDir = tempDir;
        Path name = config.command().getFileName();
        this.program = name == null ? config.command().toString() : name.toString();
    }

    /** {@code enabled: auto} means on when {@code command} exists and is executable. */
    public static boolean enabled(Config.Keychain k) {
        return switch (k.enabled()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> Files.isRegularFile(k.command()) && Files.isExecutable(k.command());
        };
    }

    @Override
    public String name() {
        return "keychain";
    }

    @Override
    public Screened<SourcedCa> read() {
        List<SourcedCa> found = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        List<Rejection> skipped = new ArrayList<>();
        Verifier verifier = new Verifier();
        for (Path keychain : config.keychains()) {
            String label = "keychain:" + keychain;
            CommandResult r;
            try {
                r = run(List.of(
                        config.command().toString(), "find-certificate", "-a", "-Z", "-p", keychain.toString()));
            } catch (Failure f) {
                rejected.add(new Rejection(label, f.getMessage()));
                continue;
            }
            if (!r.ok()) {
                rejected.add(new Rejection(
                        label, program + " find-certificate failed (exit " + r.exitCode() + ")" + tail(r.stderr())));
                continue;
            }
            if (r.stdout().isBlank()) continue; // an empty keychain is not a problem
            Screened<CaCert> parsed =
                    CertParser.parse(r.stdout().getBytes(StandardCharsets.ISO_8859_1), label, clock.instant());
            for (Rejection x : parsed.rejected()) (routine(x) ? skipped : rejected).add(x);
            Set<String> reported = reportedSha256(r.stdout());
            for (CaCert c : parsed.accepted()) {
                if (!reported.isEmpty() && !reported.contains(c.sha256())) {
                    rejected.add(new Rejection(
                            label, quoted(c) + " does not match any SHA-256 hash " + program + " printed; skipped"));
                    continue;
                }
                Optional<String> distrust = config.trustedOnly() ? verifier.problem(c) : Optional.empty();
                if (distrust.isPresent()) rejected.add(new Rejection(label, distrust.get()));
                else found.add(new SourcedCa(c, label));
            }
        }
        return new Screened<>(found, rejected, skipped);
    }

    /** A non-CA or an expired certificate, in {@link CertParser#check}'s words: routine in a keychain. */
    static boolean routine(Rejection r) {
        String why = r.reason();
        return why.startsWith("\"")
                && (why.endsWith("\" is not a CA certificate (no basicConstraints CA); skipped")
                        || why.matches("(?s)\".*\" expired on [0-9TZ:.-]+; skipped"));
    }

    /** verify-cert answers for one read: fingerprint -> problem (empty = trusted). */
    private final class Verifier {
        private final Map<String, Optional<String>> answers = new HashMap<>();
        private String hung; // set once security timed out: later checks are not attempted

        Optional<String> problem(CaCert c) {
            return answers.computeIfAbsent(c.sha256(), k -> ask(c));
        }

        private Optional<String> ask(CaCert c) {
            if (hung != null) return Optional.of(quoted(c) + " could not be checked: " + hung);
            Path file = null;
            try {
                file = Files.createTempFile(tempDir, "vmtrust-verify-", ".pem");
                Files.writeString(file, c.pem(), StandardCharsets.US_ASCII);
                List<String> argv = List.of(
                        config.command().toString(), "verify-cert", "-c", file.toString(), "-L", "-l", "-R", "offline");
                CommandResult r = run(argv);
                if (r.ok()) return Optional.empty();
                List<String> ssl = new ArrayList<>(argv);
                ssl.addAll(List.of("-p", "ssl")); // trusted for SSL only: the default (basic) policy refuses it
                CommandResult s = run(ssl);
                if (s.ok()) return Optional.empty();
                return Optional.of(quoted(c) + " is not trusted by this Mac (" + program + " verify-cert exited "
                        + r.exitCode() + ", with -p ssl " + s.exitCode() + tail(s.stderr()) + "); skipped");
            } catch (Failure f) {
                if (f.timeout) hung = f.getMessage();
                return Optional.of(quoted(c) + " could not be checked: " + f.getMessage());
            } catch (IOException e) {
                return Optional.of(quoted(c) + " could not be checked: cannot write a temporary file: "
                        + CertFiles.osReason(e) + "; skipped");
            } finally {
                if (file != null)
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        /* temp dir */
                    }
            }
        }
    }

    private CommandResult run(List<String> argv) throws Failure {
        try {
            return runner.run(argv, timeout);
        } catch (CommandException e) {
            if (e instanceof CommandTimeoutException)
                throw new Failure(program + " did not answer within " + Durations.format(timeout) + "; skipped", true);
            throw new Failure(e.getMessage() + "; skipped", false);
        }
    }

    /** A command that could not start or timed out; the message is the rejection reason. */
    private static final class Failure extends Exception {
        final boolean timeout;

        Failure(String message, boolean timeout) {
            super(message, null, false, false);
            this.timeout = timeout;
        }
    }

    /** Lowercase hex of every {@code SHA-256 hash: <HEX>} line. */
    static Set<String> reportedSha256(String listing) {
        return listing.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("SHA-256 hash: "))
                .map(l -> l.substring("SHA-256 hash: ".length()).strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    private static String tail(String stderr) {
        String t = CommandResult.tail(stderr, 3);
        return t.isEmpty() ? "" : ": " + t;
    }

    private static String quoted(CaCert c) {
        return "\"" + c.subject() + "\"";
    }
}
