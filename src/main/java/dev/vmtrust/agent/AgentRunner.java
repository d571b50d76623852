package dev.vmtrust.agent;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigException;
import dev.vmtrust.config.Locations;
import dev.vmtrust.notify.Announcer;
import dev.vmtrust.notify.CompositeNotifier;
import dev.vmtrust.notify.Notifications;
import dev.vmtrust.notify.NotifyStateFile;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Durations;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.reconcile.Reconcile;
import dev.vmtrust.source.KeychainSource;
import dev.vmtrust.source.TrustSettings;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code vmtrust run}: watches the sources and the VMs' folders and reconciles on every change, every
 * {@code resync}, and when a VM starts, until {@link #stop()}. Editing the config file reloads the agent: the
 * round that notices the edit already runs with the new config (an invalid edit is logged and the previous
 * config kept); once that round has finished, the watches are rebuilt for the new config without another round.
 */
public final class AgentRunner {
    private static final Logger log = LoggerFactory.getLogger("dev.vmtrust.agent");

    /** Reads the config file again (the same file and environment the agent started with). */
    @FunctionalInterface
    public interface ConfigSource {
        Config load() throws ConfigException;
    }

    /** One loaded config and what is built from it; replaced as a whole on a reload. */
    private record Generation(Config config, Reconcile reconcile, Announcer announcer) {}

    private enum Event {
        STOP,
        RELOADED
    }

    private final Environment env;
    private final CommandRunner runner;
    private final Clock clock;
    private final ConfigSource configs;
    private final Function<Config, Reconcile> reconciles;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile Generation current;

    public AgentRunner(
            Environment env,
            CommandRunner runner,
            Clock clock,
            ConfigSource configs,
            Function<Config, Reconcile> reconciles) {
        this.env = env;
        this.runner = runner;
        this.clock = clock;
        this.configs = configs;
        this.reconciles = reconciles;
    }

    /** Asks {@link #run} to return (from a signal handler or any thread). */
    public void stop() {
        events.offer(Event.STOP);
    }

    /** Runs until {@link #stop()}; starts with {@code config}. */
    public void run(Config config) throws InterruptedException {
        // one watch for the agent's life: its reference is the content each config was loaded from, so an
        // edit made while the watches are rebuilt is still seen
        ConfigWatch watch = new ConfigWatch(config.file());
        current = generation(config);
        boolean roundNow = true;
        try {
            while (true) {
                Generation g = current;
                boolean startupRound = roundNow;
                AgentRound reconcile = new AgentRound(
                        () -> reloadIfChanged(watch).reconcile(), () -> current.announcer(), Reconcile.AGENT_WAIT);
                ReconcileFn round = r -> {
                    RoundResult result = reconcile.run(r);
                    // rebuild the watches only once the round that loaded the new config has finished
                    if (current != g) events.offer(Event.RELOADED);
                    return result;
                };
                WatchPlan plan =
                        WatchPlan.of(g.config(), env).withSourceFile(g.config().file(), env.home());
                Event why;
                try (Agent agent = new Agent(plan, round, g.config().resync(), clock)) {
                    lateTrust(g.config()).ifPresent(agent::withLateTrust);
                    // asked once the watches are registered, so an edit made while they were rebuilt is not lost
                    agent.start(() -> startupRound || watch.differs());
                    log.info(
                            "vmtrust agent started (config {}, resync every {})",
                            g.config().file(),
                            Durations.format(g.config().resync()));
                    why = events.take();
                    log.info(why == Event.STOP ? "vmtrust agent stopping" : "config changed; restarting the agent");
                }
                if (why == Event.STOP) break;
                roundNow = false; // the round that noticed the edit ran with the new config already
            }
        } finally {
            current.reconcile().close();
        }
        log.info("vmtrust agent stopped");
    }

    /**
     * Called at the start of every round: when the config file changed, loads it and, if valid, makes it current
     * for this round (the runner rebuilds the watches after it); the previous generation's targets still in
     * flight are abandoned (the in-VM lock keeps the VMs safe).
     */
    private Generation reloadIfChanged(ConfigWatch watch) {
        Generation g = current;
        Optional<byte[]> edit = watch.pending();
        if (edit.isEmpty()) return g;
        try {
            Config config = configs.load();
            if (Thread.currentThread().isInterrupted()) return g; // the agent is closing: the next one reloads
            Generation next = generation(config);
            current = next;
            watch.handled(edit.get());
            g.reconcile().close();
            log.info("config {} changed; agent reloaded", config.file());
            return next;
        } catch (ConfigException e) {
            // a read cut short by the agent closing is not an invalid edit: leave it pending for the next agent
            if (Thread.currentThread().isInterrupted()) return g;
            watch.handled(edit.get());
            // one log line per problem: the log escapes line breaks inside a message
            log.error("config {} changed but is invalid; keeping the previous config until it is fixed:", e.file());
            for (String problem : e.problems()) log.error("  {}", problem);
            return g;
        }
    }

    private Generation generation(Config config) {
        Locations locations = new Locations(env);
        Announcer announcer = new Announcer(
                new Notifications(clock),
                new NotifyStateFile(locations.stateDir()),
                CompositeNotifier.fromConfig(config.notifications(), runner, env));
        return new Generation(config, reconciles.apply(config), announcer);
    }

    /**
     * macOS with the keychain source on: re-reads after keychain events and trust settings polling (trust set in
     * Keychain Access arrives after the keychain write, and since macOS 14 cannot be watched).
     */
    private Optional<LateTrust> lateTrust(Config config) {
        Config.Keychain k = config.sources().keychain();
        if (!env.os().keychainHost() || !KeychainSource.enabled(k)) return Optional.empty();
        return Optional.of(new LateTrust(
                Set.copyOf(k.keychains()),
                LateTrust.DEFAULT_REREADS,
                LateTrust.DEFAULT_POLL,
                () -> TrustSettings.fingerprint(runner, k.command())));
    }
}
