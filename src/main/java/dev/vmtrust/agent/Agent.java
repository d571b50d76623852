package dev.vmtrust.agent;

import dev.vmtrust.vm.provision.OwnWrites;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core of {@code vmtrust run}: watches the plan's folders, classifies events with {@link EventFilter},
 * and turns every trigger into a request to one {@link ReconcileLoop}:
 * <ul>
 *   <li>a relevant file event: {@code change detected: PATH} (debounced);</li>
 *   <li>a VM's {@code ha.pid} or {@code ssh.config} appearing or changing: the target enters "starting"
 *       mode (short retries until it converges, up to two minutes);</li>
 *   <li>the periodic resync, retries with backoff, late results of targets in flight (inside the loop);</li>
 *   <li>{@link #requestReconcile} from anyone else.</li>
 * </ul>
 * Threads: {@code vmtrust-reconcile} and the two {@code vmtrust-watch-N}, all daemons; idle, they block.
 * Logs at INFO {@code change detected: PATH} for each relevant event and {@code reconcile started (reasons: ...)}
 * for each round, so detection latency can be read from the log's timestamps.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final EventFilter filter;
    private final ReconcileLoop loop;
    private final FolderWatcher watcher;
    private boolean started;
    private LateTrust lateTrust;

    /** With the default delays and the given resync interval. */
    public Agent(WatchPlan plan, ReconcileFn fn, Duration resync, Clock clock) {
        this(plan, fn, Timing.defaults(resync), clock);
    }

    public Agent(WatchPlan plan, ReconcileFn fn, Timing timing, Clock clock) {
        this.filter = new EventFilter(plan);
        this.loop = new ReconcileLoop(fn, timing, clock);
        this.watcher = new FolderWatcher(
                plan,
                new FolderWatcher.Events() {
                    @Override
                    public void changed(Path path, boolean deleted) {
                        onFileEvent(path, deleted);
                    }

                    @Override
                    public void overflow() {
                        log.info("change detected: watch events were lost");
                        loop.requestReconcile("watch events lost");
                    }
                },
                timing.pollInterval());
    }

    /** Adds macOS's late-trust triggers (re-reads after keychain events, trust settings polling); before {@link #start}. */
    public synchronized Agent withLateTrust(LateTrust lateTrust) {
        if (started) throw new IllegalStateException("already started");
        this.lateTrust = lateTrust;
        return this;
    }

    /** Starts with an immediate first reconcile. */
    public void start() {
        start(true);
    }

    /**
     * Starts watching, then the loop, with an immediate first reconcile when {@code roundNow} (false after a
     * config reload: the round that loaded it already ran). Watch failures (unreadable folder, inotify limit)
     * are logged and leave polling and the resync working; they do not fail the start.
     */
    public void start(boolean roundNow) {
        start(() -> roundNow);
    }

    /**
     * As {@link #start(boolean)}, with the question asked after the watches are registered: a change made while
     * they were being registered is then either seen by the watcher or answered by {@code roundNow}.
     */
    public synchronized void start(BooleanSupplier roundNow) {
        if (started) throw new IllegalStateException("already started");
        started = true;
        watcher.start();
        if (roundNow.getAsBoolean()) loop.requestNow("startup");
        loop.start();
        if (lateTrust != null) lateTrust.start(loop::requestReconcile);
    }

    /** Asks for a full reconcile soon (debounced with every other request). */
    public void requestReconcile(String reason) {
        loop.requestReconcile(reason);
    }

    /**
     * Stops watching and the loop; a round in progress is interrupted. Returns within about five seconds
     * even if the round ignores the interrupt. Idempotent.
     */
    @Override
    public void close() {
        LateTrust lt;
        synchronized (this) {
            lt = lateTrust;
        }
        if (lt != null) lt.close();
        watcher.close();
        loop.close();
    }

    /** Called on a watcher thread for every raw event. */
    void onFileEvent(Path path, boolean deleted) {
        LateTrust lt;
        synchronized (this) {
            lt = lateTrust;
        }
        Optional<EventFilter.Change> relevant = filter.classify(path, deleted);
        if (lt != null && lt.isKeychain(path)) {
            lt.keychainChanged();
            if (relevant.isEmpty()) { // the keychain's -wal file: the keychain itself changed
                log.info("change detected: {}", path);
                loop.requestReconcile("change detected: " + path);
                return;
            }
        }
        relevant.ifPresent(change -> {
            if (change.kind() == EventFilter.Kind.VM_FILE && OwnWrites.isOurs(change.path())) {
                log.debug("own write, not a change: {}", change.path());
                return;
            }
            log.info("change detected: {}", change.path());
            if (change.kind() == EventFilter.Kind.VM_START) {
                loop.vmStarting(change.target(), "vm start: " + change.target());
            } else {
                loop.requestReconcile("change detected: " + change.path());
            }
        });
    }
}
