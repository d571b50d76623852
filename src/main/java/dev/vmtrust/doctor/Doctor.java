package dev.vmtrust.doctor;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigException;
import dev.vmtrust.config.Locations;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.reconcile.Reconcile;
import dev.vmtrust.reconcile.StateStore;
import dev.vmtrust.source.CollectedSet;
import dev.vmtrust.ssh.SshConnector;
import dev.vmtrust.ssh.SshConnectorFactory;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.VmLiveness;
import dev.vmtrust.vm.script.VmScript;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code vmtrust doctor}: every check, each {@code ok}, {@code warn} or {@code fail} with the next step.
 * Never throws; one broken part never hides the others. Host TLS probes and targets run in parallel
 * (at most {@value #MAX_PARALLEL} at once), each bounded by the probe and SSH timeouts.
 *
 * <table>
 * <caption>Check ids, in output order (per-target ones carry the target name)</caption>
 * <tr><th>id</th><th>what</th></tr>
 * <tr><td>config</td><td>the config file is found and valid (or absent: defaults)</td></tr>
 * <tr><td>sources</td><td>which sources are on, how public roots and include/exclude filter</td></tr>
 * <tr><td>keychain</td><td>per keychain: CAs in the set, rejected inputs; or why the keychain is not read</td></tr>
 * <tr><td>source-files</td><td>per configured file and vendor file: CAs in the set, rejected inputs</td></tr>
 * <tr><td>ca-set</td><td>count, subjects, expiry dates, fingerprint; fail when empty</td></tr>
 * <tr><td>ca-expiry</td><td>warn under 30 days (or an expired keychain CA), fail when a file's CA expired</td></tr>
 * <tr><td>probe-host</td><td>per doctor.probes URL: does the chain verify from the host, who issued it, is it in the set</td></tr>
 * <tr><td>homes</td><td>the Colima and Lima homes, how many targets; discovery notes</td></tr>
 * <tr><td>target-state</td><td>running or stopped (from ha.pid)</td></tr>
 * <tr><td>ssh-config</td><td>ssh.config readable and complete</td></tr>
 * <tr><td>ssh-key</td><td>its IdentityFile readable</td></tr>
 * <tr><td>ssh</td><td>the VM answers over SSH with that key</td></tr>
 * <tr><td>sudo</td><td>{@code sudo -n} works for the SSH user</td></tr>
 * <tr><td>trust-tool</td><td>distro supported and its trust update tool installed</td></tr>
 * <tr><td>stamp</td><td>the VM's stamp and files equal the CA set</td></tr>
 * <tr><td>restart-pending</td><td>no engine restart is still pending</td></tr>
 * <tr><td>containers</td><td>containers.inject: set up as asked, and a throwaway container from an image already in the
 * VM sees the bundle (never a pull); only when it is on or its passthrough is still in the VM</td></tr>
 * <tr><td>persisted</td><td>vmtrust's provision entry is in the YAML and current</td></tr>
 * <tr><td>probe-vm</td><td>per URL: curl inside the VM trusts the chain</td></tr>
 * <tr><td>agent</td><td>the agent's unit/plist is installed and running</td></tr>
 * <tr><td>agent-env</td><td>only when they differ: the homes and config the agent was given vs this shell's</td></tr>
 * <tr><td>notifications</td><td>macOS with notify.desktop: how to let Script Editor's notifications through</td></tr>
 * <tr><td>last-sync</td><td>the last reconcile (status.json): when, failures, same CA set</td></tr>
 * </table>
 */
public final class Doctor {
    static final int MAX_PARALLEL = 8;
    static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);

    /** Everything doctor needs from outside; {@code tls} and {@code agent} are seams for tests. */
    public record Parts(
            Environment env,
            CommandRunner runner,
            SshConnectorFactory ssh,
            VmLiveness liveness,
            Clock clock,
            TlsProbe tls,
            AgentStatus agent) {}

    private final Parts parts;

    public Doctor(Parts parts) {
        this.parts = parts;
    }

    /** The config could not be loaded: that check, plus the checks that need no config. */
    public List<Check> run(ConfigException e) {
        List<Check> out = new ArrayList<>();
        out.add(SourceChecks.config(e));
        out.add(AgentChecks.agent(parts.agent()));
        out.add(AgentChecks.lastSync(state(), parts.clock().instant(), null, DEFAULT_RESYNC));
        return out;
    }

    public List<Check> run(Config config) {
        List<Check> out = new ArrayList<>();
        SshConnector connector = parts.ssh().create(config.ssh());
        Reconcile engine =
                new Reconcile(config, parts.env(), parts.runner(), connector, parts.liveness(), parts.clock());
        out.add(SourceChecks.config(config));
        out.add(SourceChecks.sources(config, parts.env().os()));
        CollectedSet c;
        try {
            c = engine.collect();
        } catch (RuntimeException e) {
            c = new CollectedSet(CaBundle.empty(), java.util.Map.of(), List.of());
            out.add(Check.fail(
                    "ca-set", null, "collecting the CA set failed unexpectedly: " + e, "run with -v and report it"));
        }
        out.addAll(
                SourceChecks.keychain(config.sources().keychain(), parts.env().os(), c));
        out.addAll(SourceChecks.host(config.sources(), parts.env().os(), c, dev.vmtrust.source.CaCollector.HOST_ROOT));
        out.addAll(SourceChecks.files(config.sources(), c));
        out.add(SourceChecks.caSet(c));
        out.addAll(SourceChecks.expiry(c, parts.clock().instant()));

        Discovery d;
        try {
            d = engine.discover();
        } catch (RuntimeException e) {
            d = Discovery.empty();
            out.add(Check.fail(
                    "homes", null, "discovering targets failed unexpectedly: " + e, "run with -v and report it"));
        }
        CaBundle set = c.bundle();
        String script = set.isEmpty()
                ? VmScript.withoutCertificates()
                : VmScript.render(set, config.containers().inject());
        List<URI> probes = config.doctor().probes();
        TargetChecks targets = new TargetChecks(
                connector,
                parts.liveness(),
                parts.env(),
                config.ssh().commandTimeout(),
                new VmChecks(config.targets().persist()));
        List<Callable<List<Check>>> hostJobs = new ArrayList<>();
        for (URI u : probes)
            hostJobs.add(() -> List.of(ProbeChecks.host(u, parts.tls().probe(u, set), config.include())));
        List<Callable<List<Check>>> targetJobs = new ArrayList<>();
        for (TargetRef t : d.targets()) targetJobs.add(() -> targets.check(t, set, script, probes));
        List<List<Check>> results = parallel(hostJobs, targetJobs, d.targets());

        if (probes.isEmpty()) out.add(Check.ok(ProbeChecks.HOST, null, "no URLs in doctor.probes; TLS not probed"));
        for (int i = 0; i < hostJobs.size(); i++) out.addAll(results.get(i));
        out.addAll(TargetsHome.homes(config, new Locations(parts.env()), d));
        for (int i = hostJobs.size(); i < results.size(); i++) out.addAll(results.get(i));
        out.addAll(AgentChecks.all(
                parts.agent(), parts.env(), config.notifications().desktop()));
        out.add(AgentChecks.lastSync(
                engine.state(), parts.clock().instant(), set.isEmpty() ? null : set.label(), config.resync()));
        return out;
    }

    private StateStore state() {
        return new StateStore(new Locations(parts.env()).stateDir());
    }

    /** Runs host jobs then target jobs on one bounded pool; results in submission order; never throws. */
    private static List<List<Check>> parallel(
            List<Callable<List<Check>>> hostJobs, List<Callable<List<Check>>> targetJobs, List<TargetRef> targets) {
        List<Callable<List<Check>>> all = new ArrayList<>(hostJobs);
        all.addAll(targetJobs);
        List<List<Check>> results = new ArrayList<>();
        if (all.isEmpty()) return results;
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, all.size()), r -> {
            Thread th = new Thread(r, "vmtrust-doctor-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<List<Check>>> futures = all.stream().map(pool::submit).toList();
            for (int i = 0; i < futures.size(); i++) {
                String target = i < hostJobs.size()
                        ? null
                        : targets.get(i - hostJobs.size()).name();
                String id = target == null ? ProbeChecks.HOST : "target-state";
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    results.add(List.of(
                            Check.fail(id, target, "unexpected error: " + e.getCause(), "run with -v and report it")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.add(List.of(Check.fail(id, target, "interrupted", null)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }
}
