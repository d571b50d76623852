package dev.vmtrust.reconcile;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.Locations;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.source.CaCollector;
import dev.vmtrust.source.Collected;
import dev.vmtrust.source.PublicRoots;
import dev.vmtrust.ssh.SshConnector;
import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.HostAgent;
import dev.vmtrust.vm.LiveOutcome;
import dev.vmtrust.vm.LiveSync;
import dev.vmtrust.vm.PersistSync;
import dev.vmtrust.vm.TargetDiscovery;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.script.VmScript;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full reconcile from scratch, shared by {@code sync}, {@code export}/{@code env}, {@code uninstall --purge}
 * and the agent ({@link AgentRound}): collect the desired set, discover targets, take the host lock,
 * reconcile, write the state folder. Recomputes everything each time.
 */
public final class SyncEngine {
    private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);
    /** How long a manual sync waits for the agent (or another sync) to finish its reconcile. */
    static final Duration LOCK_WAIT = Duration.ofMinutes(5);

    /** The desired set, its in-VM script, the targets to work on, and the public roots (loaded once, for bundle.pem). */
    record Prepared(CaBundle bundle, String script, List<TargetRef> targets, Supplier<PublicRoots.Loaded> roots) {}

    private final Config config;
    private final Environment env;
    private final CommandRunner runner;
    private final SshConnector ssh;
    private final HostAgent hostAgent;
    private final Clock clock;
    private final Locations locations;

    public SyncEngine(Config config, Environment env, CommandRunner runner, SshConnector ssh, HostAgent hostAgent, Clock clock) {
        this.config = config;
        this.env = env;
        this.runner = runner;
        this.ssh = ssh;
        this.hostAgent = hostAgent;
        this.clock = clock;
        this.locations = new Locations(env);
    }

    public Collected collect() {
        return collect(publicRoots());
    }

    private Collected collect(Supplier<PublicRoots.Loaded> roots) {
        return CaCollector.fromConfig(config, env.os(), runner, clock, roots).collect();
    }

    private Supplier<PublicRoots.Loaded> publicRoots() {
        return CaCollector.publicRoots(config, env.os(), runner, clock);
    }

    public Discovery discover() {
        return new TargetDiscovery(config.targets(), locations.colimaHome(config), locations.colimaLimaHome(config),
                locations.limaHome(config)).discover();
    }

    public StateStore state() { return new StateStore(locations.stateDir()); }

    Config config() { return config; }

    Reconciler reconciler() {
        return new Reconciler(new LiveSync(ssh, hostAgent, env, config.ssh().commandTimeout()), clock);
    }

    /**
     * Collects the set (never empty: throws NoCaFoundException) and the discovered targets that pass {@code keep}.
     * With {@code warn}, refused inputs and skipped folders are logged (otherwise only `list` shows them); the
     * agent passes false so an unchanged problem is not repeated every round.
     */
    Prepared prepare(Predicate<TargetRef> keep, boolean warn) throws NoCaFoundException {
        Supplier<PublicRoots.Loaded> roots = publicRoots();
        Collected c = collect(roots);
        if (warn) c.rejected().forEach(r -> log.warn("skipped {}: {}", r.source(), r.reason()));
        if (c.bundle().isEmpty()) throw new NoCaFoundException(c.rejected().size(), c.looked());
        Discovery found = discover();
        if (warn) found.notes().forEach(n -> log.warn("{}", n));
        List<TargetRef> targets = found.targets().stream().filter(keep).toList();
        return new Prepared(c.bundle(), VmScript.render(c.bundle(), config.containers().inject()), targets, roots);
    }

    /**
     * Reconciles every discovered target (or only {@code only}, by name). Throws NoCaFoundException when
     * the set is empty, IllegalArgumentException when {@code only} names no target.
     */
    public Report sync(Config.RestartPolicy policy, boolean dryRun, Optional<String> only)
            throws NoCaFoundException, IOException {
        Prepared p = prepare(t -> only.map(t.name()::equals).orElse(true), true);
        if (only.isPresent() && p.targets().isEmpty()) throw new IllegalArgumentException("no target named \""
                + only.get() + "\"; names look like colima/default or lima/dev (see `vmtrust sync --dry-run`)");
        Reconciler.Options opts = options(policy, dryRun, only.isEmpty());
        if (dryRun) return reconciler().run(p.bundle(), p.script(), p.targets(), opts);
        StateStore store = state();
        try (HostLock lock = HostLock.acquire(store.dir(), LOCK_WAIT)) {
            Report report = reconciler().run(p.bundle(), p.script(), p.targets(), opts);
            writeState(store, p, only.isPresent() ? mergeWithLast(store, report) : report);
            return report;
        }
    }

    /** Options from the config; Colima's template is included only in whole-fleet runs. */
    Reconciler.Options options(Config.RestartPolicy policy, boolean dryRun, boolean withTemplate) {
        Config.Colima colima = config.targets().colima();
        Path template = colima.enabled() && withTemplate ? locations.colimaHome(config).resolve("_templates/default.yaml") : null;
        return new Reconciler.Options(dryRun, policy, config.targets().persist(), template, colima.createTemplate());
    }

    /** status.json, then ca-set.pem and bundle.pem. */
    void writeState(StateStore store, Prepared p, Report report) throws IOException {
        store.sweepTemps();
        store.writeReport(report);
        store.writeBundles(p.bundle().pem(), pem(p.roots().get()));
    }

    /**
     * Recomputes the set and refreshes ca-set.pem and bundle.pem (for export/env) without touching any VM.
     * Throws NoCaFoundException when the set is empty: host tools are never pointed at an empty bundle.
     */
    public StateStore refreshBundles() throws NoCaFoundException, IOException {
        Supplier<PublicRoots.Loaded> roots = publicRoots();
        Collected c = collect(roots);
        if (c.bundle().isEmpty()) throw new NoCaFoundException(c.rejected().size(), c.looked());
        StateStore store = state();
        store.writeBundles(c.bundle().pem(), pem(roots.get()));
        return store;
    }

    /**
     * uninstall --purge: removes vmtrust's provision entry from every profile/instance YAML and the Colima
     * template, and every vmtrust-owned CA file from every running VM; only what vmtrust owns is touched.
     */
    public Report purge() throws IOException {
        LiveSync live = new LiveSync(ssh, hostAgent, env, config.ssh().commandTimeout());
        StateStore store = state();
        try (HostLock lock = HostLock.acquire(store.dir(), LOCK_WAIT)) {
            List<TargetReport> reports = new ArrayList<>();
            for (TargetRef t : discover().targets()) {
                PersistSync.Outcome p = PersistSync.remove(t.configFile(), false);
                LiveOutcome l = live.remove(t);
                reports.add(new TargetReport(t.name(), t.kind().word(), l.state(), l.result(), p.persisted(), 0,
                        l.removed(), List.of(), List.of(), 0, l.error() != null ? l.error() : p.error(), l.hint(), List.of(),
                        p.note() == null ? List.of() : List.of(p.note())));
            }
            List<Report.TemplateReport> templates = new ArrayList<>();
            Path template = locations.colimaHome(config).resolve("_templates/default.yaml");
            if (Files.exists(template)) {
                PersistSync.Outcome p = PersistSync.remove(template, false);
                templates.add(new Report.TemplateReport(template.toString(), p.persisted(), p.error()));
            }
            return new Report(clock.instant(), "none", 0, reports, templates);
        }
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

    /** The host's public roots as PEM, for bundle.pem (empty when none are configured or found). */
    private static String pem(PublicRoots.Loaded roots) {
        StringBuilder sb = new StringBuilder();
        for (CaCert c : roots.roots()) sb.append(c.pem());
        return sb.toString();
    }
}
