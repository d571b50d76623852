package dev.vmtrust.reconcile;

import dev.vmtrust.trust.CaBundle;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * The agent's reconcile round: like {@code sync} with the config's restart policy, but targets still in flight
 * from an earlier round are left alone, and a target still running after {@link #WAIT} is reported as in flight
 * and handed to {@code late} when it ends, so one hung VM never delays the others' next round. Targets run on
 * one long-lived bounded pool; {@link #close()} abandons what is in flight (the in-VM lock keeps VMs safe).
 */
public final class AgentRound implements AutoCloseable {
    /** How long a round waits for its targets before reporting the slow ones as in flight. */
    static final Duration WAIT = Duration.ofSeconds(10);

    /** What one round did: the report of the targets that finished, and the names still in flight. */
    public record Result(CaBundle bundle, Report report, Set<String> inFlight) {}

    private final SyncEngine engine;
    private final Duration wait;
    private final ExecutorService pool = Executors.newFixedThreadPool(Reconciler.MAX_PARALLEL,
            Reconciler.threads("vmtrust-agent-target-"));

    public AgentRound(SyncEngine engine) { this(engine, WAIT); }

    AgentRound(SyncEngine engine, Duration wait) {
        this.engine = engine;
        this.wait = wait;
    }

    public Result run(Set<String> skip, BiConsumer<String, TargetReport> late)
            throws NoCaFoundException, IOException, InterruptedException {
        SyncEngine.Prepared p = engine.prepare(t -> !skip.contains(t.name()), false);
        Reconciler r = engine.reconciler();
        Reconciler.Options opts = engine.options(engine.config().restart(), false, true);
        StateStore store = engine.state();
        try (HostLock lock = HostLock.acquire(store.dir(), SyncEngine.LOCK_WAIT)) {
            Reconciler.Partial partial = Reconciler.await(r.start(p.bundle(), p.script(), p.targets(), opts, pool),
                    System.nanoTime() + wait.toNanos());
            for (Map.Entry<String, CompletableFuture<TargetReport>> e : partial.inFlight().entrySet())
                e.getValue().thenAccept(rep -> late.accept(e.getKey(), rep));
            Report report = r.report(p.bundle(), p.script(), partial.done(), opts);
            boolean whole = partial.inFlight().isEmpty() && skip.isEmpty();
            engine.writeState(store, p, whole ? report : SyncEngine.mergeWithLast(store, report));
            return new Result(p.bundle(), report, new TreeSet<>(partial.inFlight().keySet()));
        }
    }

    @Override public void close() { pool.shutdownNow(); }
}
