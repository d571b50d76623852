package dev.vmtrust.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * macOS trust that arrives after the keychain changed. {@code security add-trusted-cert} and Keychain Access
 * write the certificate into the keychain first and its trust setting only after the admin password is typed;
 * since macOS 14 trust settings live where no process can watch them ({@code /var/protected/trustd}). So:
 * <ul>
 *   <li>after every keychain event the agent reconciles again after growing delays ({@link #DEFAULT_REREADS}:
 *       15 s, 1 min, 3 min); a new event restarts that series;</li>
 *   <li>a fingerprint of {@code security dump-trust-settings} (user and {@code -d}) is polled every
 *       {@link #DEFAULT_POLL}; a change asks for a reconcile (this also catches a trust change of a certificate
 *       already in the keychain, which writes no keychain file at all).</li>
 * </ul>
 * The login keychain is SQLite with a write-ahead log: its writes land in {@code login.keychain-db-wal}
 * first, so the {@code -wal} file of a keychain counts as that keychain. One daemon thread, idle between runs.
 */
public final class LateTrust implements AutoCloseable {
    public static final List<Duration> DEFAULT_REREADS =
            List.of(Duration.ofSeconds(15), Duration.ofMinutes(1), Duration.ofMinutes(3));
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(LateTrust.class);

    private final Set<Path> keychains;
    private final List<Duration> rereads;
    private final Duration poll;
    private final Supplier<Optional<String>> fingerprint;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmtrust-late-trust");
        t.setDaemon(true);
        return t;
    });
    private final List<ScheduledFuture<?>> pending = new ArrayList<>();
    private Consumer<String> request = r -> {};
    private String lastFingerprint;

    /**
     * @param keychains   the keychain files (their {@code -wal} siblings count too)
     * @param rereads     delays after a keychain event, each measured from the event
     * @param poll        how often {@code fingerprint} runs; it returns empty when it could not be read
     *                    (then nothing is compared)
     */
    public LateTrust(
            Set<Path> keychains, List<Duration> rereads, Duration poll, Supplier<Optional<String>> fingerprint) {
        this.keychains = Set.copyOf(keychains.stream().map(WatchPlan::clean).toList());
        this.rereads = List.copyOf(rereads);
        this.poll = poll;
        this.fingerprint = fingerprint;
    }

    /** True when {@code path} is one of the keychains or its write-ahead log. */
    public boolean isKeychain(Path path) {
        Path p = WatchPlan.clean(path);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (keychains.contains(p)) return true;
        return name.endsWith("-wal") && keychains.contains(p.resolveSibling(name.substring(0, name.length() - 4)));
    }

    /** Starts polling; every trigger goes to {@code request} with its reason. */
    synchronized void start(Consumer<String> request) {
        this.request = Objects.requireNonNull(request);
        long ms = poll.toMillis();
        timer.scheduleWithFixedDelay(this::pollOnce, 0, ms, TimeUnit.MILLISECONDS);
    }

    /** A keychain changed: (re)starts the series of later re-reads. */
    synchronized void keychainChanged() {
        pending.forEach(f -> f.cancel(false));
        pending.clear();
        for (Duration d : rereads) {
            String reason = "keychain re-read " + dev.vmtrust.platform.Durations.format(d)
                    + " after a keychain change (its trust setting may come later)";
            pending.add(timer.schedule(() -> request(reason), d.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void pollOnce() {
        Optional<String> now;
        try {
            now = fingerprint.get();
        } catch (RuntimeException e) {
            log.debug("trust settings could not be read: {}", e.toString());
            return;
        }
        if (now.isEmpty()) return;
        String before;
        synchronized (this) {
            before = lastFingerprint;
            lastFingerprint = now.get();
        }
        if (before != null && !before.equals(now.get())) {
            log.info("change detected: trust settings (security dump-trust-settings)");
            request("trust settings changed");
        }
    }

    private void request(String reason) {
        Consumer<String> r;
        synchronized (this) {
            r = request;
        }
        r.accept(reason);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
