package dev.vmtrust.reconcile;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.config.Locations;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.source.CaCollector;
import dev.vmtrust.source.CollectedSet;
import dev.vmtrust.source.PublicRoots;
import dev.vmtrust.ssh.SshConnector;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.LiveResult;
import dev.vmtrust.vm.LiveSync;
import dev.vmtrust.vm.PersistSync;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.TargetDiscovery;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.VmLiveness;
import dev.vmtrust.vm.VmState;
import dev.vmtrust.vm.script.VmScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconcile flow, for {@code sync}, the agent's rounds and {@code uninstall --purge} alike
 * ({@link #run}): collect the desired set, discover the targets, take the host lock, work on every target in
 * parallel (bounded), then write the state folder. Everything is recomputed each time. For each target the
 * persisted part (its provision entry) runs first, then the live part (the running VM); both never throw, so
 * every target ends as one {@link TargetReport}. Every wait inside a target is bounded by the SSH connect and
 * command timeouts; a run with a {@link Request#waitFor() waitFor} reports the targets still running after it as
 * in flight and hands their reports to {@link Request#late()} when they end, so one hung VM never delays the
 * others. Targets run on one bounded pool that lives as long as this object: close it.
 */
public final class Reconcile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reconcile.class);
    /** How long a run waits for the agent (or another sync) to finish its reconcile. */
    static final Duration LOCK_WAIT = Duration.ofMinutes(5);
    /** At most this many VMs are worked on at once (each holds one SSH session). */
    static final int MAX_PARALLEL = 8;
    /** How long an agent round waits for its targets before reporting the slow ones as in flight. */
    public static final Duration AGENT_WAIT = Duration.ofSeconds(10);

    /** What a run does to each target: sync it to the set, or remove everything vmtrust put there. */
    public enum Action {
        SYNC,
        PURGE
    }

    /**
     * One run. {@code only}: one target by name (its state entry is merged with the others' last ones);
     * {@code skip}: targets still in flight from an earlier run, left alone and not reported; {@code warn}: log
     * refused inputs and skipped folders (the agent passes false so an unchanged problem is not repeated every
     * round); {@code waitFor}: report targets still running after it as in flight (null: wait for all);
     * {@code late}: receives their reports.
     */
    public record Request(
            Action action,
            RestartPolicy policy,
            boolean dryRun,
            Optional<String> only,
            Set<String> skip,
            boolean warn,
            Duration waitFor,
            BiConsumer<String, TargetReport> late) {
        public Request {
            skip = Set.copyOf(skip);
        }

        /** {@code vmtrust sync}: waits for every target. */
        public static Request sync(RestartPolicy policy, boolean dryRun, Optional<String> only) {
            return new Request(Action.SYNC, policy, dryRun, only, Set.of(), true, null, (n, r) -> {});
        }

        /** An agent round with the config's restart policy. */
        public static Request agentRound(
                RestartPolicy policy, Set<String> skip, Duration waitFor, BiConsumer<String, TargetReport> late) {
            return new Request(Action.SYNC, policy, false, Optional.empty(), skip, false, waitFor, late);
        }

        /** {@code uninstall --purge}: vmtrust's provision entries (and the template's) and in-VM files go. */
        public static Request purge() {
            return new Request(Action.PURGE, null, false, Optional.empty(), Set.of(), true, null, (n, r) -> {});
        }
    }

    /** What one run did: the report of the targets that finished, and the names still in flight. */
    public record Result(CaBundle bundle, Report report, Set<String> inFlight) {
        public Result {
            inFlight = Set.copyOf(inFlight);
        }
    }

    /** The desired set, its in-VM script, and the public roots (loaded once, for bundle.pem); empty for a purge. */
    private record Desired(CaBundle bundle, String script, Supplier<PublicRoots.Loaded> roots) {}

    private final Config config;
    private final Environment env;
    private final CommandRunner runner;
    private final VmLiveness liveness;
    private final Clock clock;
    private final Locations locations;
    private final LiveSync live;
    private final SshConnector ssh;
    private final Object persistLock = new Object();
    private ExecutorService pool;
    private ExecutorService persistThread;

    public Reconcile(
            Config config, Environment env, CommandRunner runner, SshConnector ssh, VmLiveness liveness, Clock clock) {
        this.config = config;
        this.env = env;
        this.runner = runner;
        this.liveness = liveness;
        this.clock = clock;
        this.locations = new Locations(env);
        this.ssh = ssh;
        this.live = new LiveSync(ssh, liveness, env, config.ssh().commandTimeout());
    }

    public Config config() {
        return config;
    }

    /** The desired set as the sources give it now, with what was refused. */
    public CollectedSet collect() {
        return collect(publicRoots());
    }

    public Discovery discover() {
        return new TargetDiscovery(
                        config.targets(),
                        locations.colimaHome(config),
                        locations.colimaLimaHome(config),
                        locations.limaHome(config))
                .discover();
    }

    public StateStore state() {
        return new StateStore(locations.stateDir());
    }

    /**
     * Runs {@code request}. Throws NoCaFoundException when a sync's set is empty (a purge needs none),
     * IllegalArgumentException when {@code only} names no target, InterruptedException when interrupted while
     * waiting for the targets (they are abandoned; the in-VM lock keeps the VMs safe).
     */
    public Result run(Request request) throws NoCaFoundException, IOException, InterruptedException {
        boolean purge = request.action() == Action.PURGE;
        long t0 = System.nanoTime();
        Desired desired = purge ? null : desired(request.warn());
        long t1 = System.nanoTime();
        Discovery found = discover();
        if (log.isDebugEnabled())
            log.debug(
                    "collected the set in {} ms, found the targets in {} ms", ms(t1 - t0), ms(System.nanoTime() - t1));
        if (request.warn() && !purge) found.notes().forEach(n -> log.warn("{}", n));
        List<TargetRef> targets = found.targets().stream()
                .filter(t -> request.only().map(t.name()::equals).orElse(true))
                .filter(t -> !request.skip().contains(t.name()))
                .toList();
        if (request.only().isPresent() && targets.isEmpty())
            throw new IllegalArgumentException(
                    "no target named \"" + request.only().get()
                            + "\"; names look like colima/default or lima/dev (see `vmtrust sync --dry-run`)");
        Function<TargetRef, TargetReport> work = purge ? this::purgeOne : t -> syncOne(t, desired, request);
        if (request.dryRun()) return finish(request, desired, targets, work, null);
        StateStore store = state();
        try (HostLock lock = HostLock.acquire(store.dir(), LOCK_WAIT)) {
            return finish(request, desired, targets, work, store);
        }
    }

    /** Works on the targets, adds the template, and writes the state folder unless {@code store} is null or purging. */
    private Result finish(
            Request request,
            Desired desired,
            List<TargetRef> targets,
            Function<TargetRef, TargetReport> work,
            StateStore store)
            throws IOException, InterruptedException {
        Map<String, CompletableFuture<TargetReport>> running = new LinkedHashMap<>();
        for (TargetRef t : targets) {
            running.put(
                    t.name(),
                    CompletableFuture.supplyAsync(() -> work.apply(t), pool())
                            .exceptionally(e -> crashed(t, String.valueOf(e.getCause() != null ? e.getCause() : e))));
        }
        long deadline = request.waitFor() == null
                ? Long.MAX_VALUE
                : System.nanoTime() + request.waitFor().toNanos();
        List<TargetReport> done = new ArrayList<>();
        Set<String> inFlight = new TreeSet<>();
        for (Map.Entry<String, CompletableFuture<TargetReport>> e : running.entrySet()) {
            try {
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
                done.add(
                        left == Long.MAX_VALUE
                                ? e.getValue().get()
                                : e.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException te) {
                inFlight.add(e.getKey());
                e.getValue().thenAccept(rep -> request.late().accept(e.getKey(), rep));
            } catch (ExecutionException ee) {
                throw new IllegalStateException("a target future failed although it cannot", ee);
            }
        }
        long worked = System.nanoTime();
        boolean purge = request.action() == Action.PURGE;
        Report report = new Report(
                clock.instant(),
                purge ? "none" : desired.bundle().label(),
                purge ? 0 : desired.bundle().size(),
                done,
                templates(request, desired));
        if (store != null && !purge) {
            boolean whole = inFlight.isEmpty()
                    && request.skip().isEmpty()
                    && request.only().isEmpty();
            writeState(store, desired, whole ? report : mergeWithLast(store, report));
        }
        if (log.isDebugEnabled()) log.debug("wrote the state folder in {} ms", ms(System.nanoTime() - worked));
        return new Result(purge ? CaBundle.of(List.of()) : desired.bundle(), report, inFlight);
    }

    /**
     * Colima's template for new profiles: a sync updates it in whole-fleet runs when it exists or should; a
     * purge removes vmtrust's entry from it whenever it exists.
     */
    private List<Report.TemplateReport> templates(Request request, Desired desired) {
        Config.Colima colima = config.targets().colima();
        Path template = locations.colimaHome(config).resolve("_templates/default.yaml");
        PersistSync.Outcome o;
        if (request.action() == Action.PURGE) {
            if (!Files.exists(template)) return List.of();
            o = PersistSync.remove(template, false);
        } else {
            if (!colima.enabled()
                    || request.only().isPresent()
                    || !config.targets().persist()
                    || !(colima.createTemplate() || Files.exists(template))) return List.of();
            o = PersistSync.tooLarge(desired.bundle().size()).orElseGet(() -> {
                synchronized (persistLock) {
                    return PersistSync.upsert(template, desired.script(), request.dryRun(), colima.createTemplate());
                }
            });
        }
        return List.of(new Report.TemplateReport(template.toString(), o.persisted(), o.error()));
    }

    /**
     * One target of a sync: the running VM on this thread while its provision entry is edited on the persist
     * thread, so the edit (a YAML parse and two fsyncs: ~10 ms warm, ~0.4 s for the first one in a fresh JVM)
     * never delays the push into the VM. One provision edit at a time: an edit holds a few copies of its file (up
     * to the YAML cap) in memory, and several at once in parallel targets would not fit the agent's heap.
     */
    private TargetReport syncOne(TargetRef t, Desired d, Request request) {
        long t0 = System.nanoTime();
        CompletableFuture<PersistSync.Outcome> p = !config.targets().persist()
                ? CompletableFuture.completedFuture(new PersistSync.Outcome(Persisted.SKIPPED, null, ""))
                : CompletableFuture.supplyAsync(
                        () -> PersistSync.tooLarge(d.bundle().size()).orElseGet(() -> {
                            synchronized (persistLock) {
                                long e0 = System.nanoTime();
                                PersistSync.Outcome o =
                                        PersistSync.upsert(t.configFile(), d.script(), request.dryRun(), false);
                                if (log.isDebugEnabled())
                                    log.debug("{}: provision entry in {} ms", t.name(), ms(System.nanoTime() - e0));
                                return o;
                            }
                        }),
                        persistThread());
        LiveResult l = live.sync(t, d.bundle(), d.script(), request.policy(), request.dryRun());
        if (log.isDebugEnabled()) log.debug("{}: live part in {} ms", t.name(), ms(System.nanoTime() - t0));
        PersistSync.Outcome po;
        try {
            po = p.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the round is being abandoned; the edit finishes on its own
            po = new PersistSync.Outcome(
                    Persisted.FAILED, t.configFile() + ": interrupted before the provision entry was written", "");
        } catch (ExecutionException e) {
            po = new PersistSync.Outcome(Persisted.FAILED, t.configFile() + ": unexpected error: " + e.getCause(), "");
        }
        return TargetReport.of(t, l, po);
    }

    /** One target of a purge: only what vmtrust owns is touched. */
    private TargetReport purgeOne(TargetRef t) {
        PersistSync.Outcome p;
        synchronized (persistLock) {
            p = PersistSync.remove(t.configFile(), false);
        }
        return TargetReport.of(t, live.remove(t), p);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static TargetReport crashed(TargetRef t, String why) {
        return TargetReport.of(
                t,
                new LiveResult.Failed(
                        VmState.RUNNING, t.name() + ": unexpected error: " + why, "run with -v and report it"),
                new PersistSync.Outcome(Persisted.SKIPPED, null, ""));
    }

    /** Collects the set (never empty: throws NoCaFoundException) and renders its in-VM script. */
    private Desired desired(boolean warn) throws NoCaFoundException {
        Supplier<PublicRoots.Loaded> roots = publicRoots();
        CollectedSet c = collect(roots);
        if (warn) c.rejected().forEach(r -> log.warn("skipped {}: {}", r.source(), r.reason()));
        if (c.bundle().isEmpty()) throw new NoCaFoundException(c.rejected().size(), c.looked());
        return new Desired(
                c.bundle(), VmScript.render(c.bundle(), config.containers().inject()), roots);
    }

    /**
     * Recomputes the set and refreshes ca-set.pem and bundle.pem (for export/env) without touching any VM.
     * Throws NoCaFoundException when the set is empty: host tools are never pointed at an empty bundle.
     */
    public StateStore refreshBundles() throws NoCaFoundException, IOException {
        Supplier<PublicRoots.Loaded> roots = publicRoots();
        CollectedSet c = collect(roots);
        if (c.bundle().isEmpty()) throw new NoCaFoundException(c.rejected().size(), c.looked());
        StateStore store = state();
        store.writeBundles(c.bundle().pem(), pem(roots.get()));
        return store;
    }

    /** status.json, then ca-set.pem and bundle.pem. */
    private static void writeState(StateStore store, Desired d, Report report) throws IOException {
        store.sweepTemps();
        store.writeReport(report);
        store.writeBundles(d.bundle().pem(), pem(d.roots().get()));
    }

    /** Targets this report does not cover (another --target, or still in flight) keep their last entry. */
    static Report mergeWithLast(StateStore store, Report report) throws IOException {
        Optional<Report> last = store.readReport();
        if (last.isEmpty()) return report;
        List<String> names = report.targets().stream().map(TargetReport::name).toList();
        List<TargetReport> all = new ArrayList<>(report.targets());
        last.get().targets().stream().filter(t -> !names.contains(t.name())).forEach(all::add);
        all.sort(Comparator.comparing(TargetReport::name));
        return new Report(report.at(), report.bundle(), report.cas(), all, report.templates());
    }

    private CollectedSet collect(Supplier<PublicRoots.Loaded> roots) {
        return CaCollector.fromConfig(config, env.os(), runner, clock, roots).collect();
    }

    private Supplier<PublicRoots.Loaded> publicRoots() {
        return CaCollector.publicRoots(config, env.os(), runner, clock);
    }

    /** The host's public roots as PEM, for bundle.pem (empty when none are configured or found). */
    private static String pem(PublicRoots.Loaded roots) {
        StringBuilder sb = new StringBuilder();
        for (CaCert c : roots.roots()) sb.append(c.pem());
        return sb.toString();
    }

    private synchronized ExecutorService persistThread() {
        if (persistThread == null) {
            persistThread = Executors.newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "vmtrust-persist");
                th.setDaemon(true);
                return th;
            });
        }
        return persistThread;
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(MAX_PARALLEL, r -> {
                Thread th = new Thread(r, "vmtrust-target-" + n.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
        }
        return pool;
    }

    /** Abandons what is still in flight (the in-VM lock keeps the VMs safe) and closes kept SSH sessions. */
    @Override
    public synchronized void close() {
        if (pool != null) pool.shutdownNow();
        if (persistThread != null) persistThread.shutdown(); // an edit in progress completes: no half-done file
        if (ssh instanceof AutoCloseable sessions) { // the agent's kept sessions
            try {
                sessions.close();
            } catch (Exception e) {
                log.debug("closing the SSH sessions: {}", e.toString());
            }
        }
    }
}
