package dev.vmtrust.reconcile;

import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.reconcile.TargetReport.Persisted;
import dev.vmtrust.target.LiveOutcome;
import dev.vmtrust.target.LiveSync;
import dev.vmtrust.target.PersistSync;
import dev.vmtrust.target.TargetRef;
import dev.vmtrust.target.script.VmScript;
import dev.vmtrust.trust.CaBundle;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reconcile of a list of targets against one CA set: for each target (in parallel, bounded) the
 * persisted part, then the live part; the result is a {@link Report} value. Every wait inside is
 * bounded by the SSH connect and command timeouts, so one hung VM delays only its own entry.
 */
public final class Reconciler {
    /** At most this many VMs are worked on at once (each holds one SSH session). */
    static final int MAX_PARALLEL = 8;

    /** {@code template}: Colima's {@code _templates/default.yaml}, or null; created when missing only with {@code createTemplate}. */
    public record Options(boolean dryRun, RestartPolicy policy, boolean persist, java.nio.file.Path template,
                          boolean createTemplate) {}

    private final LiveSync live;
    private final Clock clock;

    public Reconciler(LiveSync live, Clock clock) {
        this.live = live;
        this.clock = clock;
    }

    public Report run(CaBundle bundle, List<TargetRef> targets, Options opts) {
        String script = VmScript.render(bundle);
        List<TargetReport> reports = new ArrayList<>();
        if (!targets.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, targets.size()), threads());
            try {
                List<Future<TargetReport>> futures = new ArrayList<>();
                for (TargetRef t : targets) futures.add(pool.submit(() -> one(t, bundle, script, opts)));
                for (int i = 0; i < futures.size(); i++) reports.add(await(futures.get(i), targets.get(i)));
            } finally {
                pool.shutdownNow();
            }
        }
        return withTemplates(new Report(clock.instant(), bundle.label(), bundle.size(), reports), bundle, script, opts);
    }

    /** Adds Colima's template for new profiles (when it exists, or when the config asks to create it). */
    public Report withTemplates(Report report, CaBundle bundle, String script, Options opts) {
        List<Report.TemplateReport> templates = new ArrayList<>();
        if (opts.persist() && opts.template() != null
                && (opts.createTemplate() || java.nio.file.Files.exists(opts.template()))) {
            PersistSync.Outcome o = PersistSync.upsert(opts.template(), script, opts.dryRun(), opts.createTemplate());
            templates.add(new Report.TemplateReport(opts.template().toString(), o.persisted(), o.error()));
        }
        return new Report(report.at(), report.bundle(), report.cas(), report.targets(), templates);
    }

    /** Reconciles one target; never throws. */
    public TargetReport one(TargetRef t, CaBundle bundle, String script, Options opts) {
        PersistSync.Outcome p = opts.persist()
                ? PersistSync.upsert(t.configFile(), script, opts.dryRun(), false)
                : new PersistSync.Outcome(Persisted.SKIPPED, null, "");
        LiveOutcome l = live.sync(t, bundle, script, opts.policy(), opts.dryRun());
        String error = l.error() != null ? l.error() : p.error();
        return new TargetReport(t.name(), t.kind().word(), l.state(), l.result(), p.persisted(), l.added(),
                l.removed(), l.restarted(), l.pendingRestart(), l.containersRunning(), error, l.hint(),
                p.diff().isEmpty() ? List.of() : List.of(p.diff()));
    }

    private static TargetReport await(Future<TargetReport> f, TargetRef t) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return crashed(t, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return crashed(t, "interrupted");
        }
    }

    private static TargetReport crashed(TargetRef t, String why) {
        return new TargetReport(t.name(), t.kind().word(), TargetReport.State.RUNNING, TargetReport.Result.FAILED,
                Persisted.SKIPPED, 0, 0, List.of(), List.of(), 0, t.name() + ": unexpected error: " + why,
                "run with -v and report it", List.of());
    }

    private static java.util.concurrent.ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, "vmtrust-target-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }
}
