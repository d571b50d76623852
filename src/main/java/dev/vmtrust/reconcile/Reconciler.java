package dev.vmtrust.reconcile;

import dev.vmtrust.vm.VmState;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.LiveResult;
import dev.vmtrust.vm.LiveSync;
import dev.vmtrust.vm.PersistSync;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.trust.CaBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reconcile of a list of targets against one CA set: for each target (in parallel, bounded) the
 * persisted part, then the live part; the result is a {@link Report} value. Every wait inside a target is
 * bounded by the SSH connect and command timeouts, so one hung VM delays only its own entry.
 */
public final class Reconciler {
    /** At most this many VMs are worked on at once (each holds one SSH session). */
    static final int MAX_PARALLEL = 8;

    /** {@code template}: Colima's {@code _templates/default.yaml}, or null; created when missing only with {@code createTemplate}. */
    public record Options(boolean dryRun, RestartPolicy policy, boolean persist, Path template, boolean createTemplate) {}

    /** The targets that finished by the deadline (in input order) and the ones still running. */
    record Partial(List<TargetReport> done, Map<String, CompletableFuture<TargetReport>> inFlight) {}

    private final LiveSync live;
    private final Clock clock;
    private final Object persistLock = new Object();

    public Reconciler(LiveSync live, Clock clock) {
        this.live = live;
        this.clock = clock;
    }

    /** Reconciles every target and waits for all of them (each is bounded by its own SSH timeouts). */
    public Report run(CaBundle bundle, String script, List<TargetRef> targets, Options opts) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(MAX_PARALLEL, targets.size())),
                threads("vmtrust-target-"));
        try {
            Partial p = await(start(bundle, script, targets, opts, pool), Long.MAX_VALUE);
            return report(bundle, script, p.done(), opts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts every target on {@code pool}; the futures never complete exceptionally. */
    Map<String, CompletableFuture<TargetReport>> start(CaBundle bundle, String script, List<TargetRef> targets,
                                                       Options opts, ExecutorService pool) {
        Map<String, CompletableFuture<TargetReport>> running = new LinkedHashMap<>();
        for (TargetRef t : targets) {
            running.put(t.name(), CompletableFuture.supplyAsync(() -> one(t, bundle, script, opts), pool)
                    .exceptionally(e -> crashed(t, String.valueOf(e.getCause() != null ? e.getCause() : e))));
        }
        return running;
    }

    /** Waits until {@code deadlineNanos} (System.nanoTime) at most; what is not done by then stays in flight. */
    static Partial await(Map<String, CompletableFuture<TargetReport>> running, long deadlineNanos)
            throws InterruptedException {
        List<TargetReport> done = new ArrayList<>();
        Map<String, CompletableFuture<TargetReport>> inFlight = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<TargetReport>> e : running.entrySet()) {
            try {
                long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
                done.add(left == Long.MAX_VALUE ? e.getValue().get() : e.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException te) {
                inFlight.put(e.getKey(), e.getValue());
            } catch (ExecutionException ee) {
                throw new IllegalStateException("a target future failed although it cannot", ee);
            }
        }
        return new Partial(done, inFlight);
    }

    /** The report of the finished targets plus Colima's template for new profiles (when it exists or should). */
    Report report(CaBundle bundle, String script, List<TargetReport> done, Options opts) {
        List<Report.TemplateReport> templates = new ArrayList<>();
        if (opts.persist() && opts.template() != null && (opts.createTemplate() || Files.exists(opts.template()))) {
            PersistSync.Outcome o = PersistSync.tooLarge(bundle.size()).orElseGet(() -> {
                synchronized (persistLock) {
                    return PersistSync.upsert(opts.template(), script, opts.dryRun(), opts.createTemplate());
                }
            });
            templates.add(new Report.TemplateReport(opts.template().toString(), o.persisted(), o.error()));
        }
        return new Report(clock.instant(), bundle.label(), bundle.size(), done, templates);
    }

    /** Reconciles one target: persisted part, then live part; never throws. */
    public TargetReport one(TargetRef t, CaBundle bundle, String script, Options opts) {
        PersistSync.Outcome p = !opts.persist() ? new PersistSync.Outcome(Persisted.SKIPPED, null, "")
                : PersistSync.tooLarge(bundle.size()).orElseGet(() -> persist(t.configFile(), script, opts));
        return TargetReport.of(t, live.sync(t, bundle, script, opts.policy(), opts.dryRun()), p);
    }

    /**
     * One provision edit at a time: an edit holds a few copies of its file (up to the YAML cap) in memory,
     * and several at once in parallel targets would not fit the agent's heap; each takes milliseconds.
     */
    private PersistSync.Outcome persist(Path file, String script, Options opts) {
        synchronized (persistLock) {
            return PersistSync.upsert(file, script, opts.dryRun(), false);
        }
    }

    private static TargetReport crashed(TargetRef t, String why) {
        return TargetReport.of(t, new LiveResult.Failed(VmState.RUNNING, t.name() + ": unexpected error: " + why,
                "run with -v and report it"), new PersistSync.Outcome(Persisted.SKIPPED, null, ""));
    }

    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, prefix + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }
}
