package dev.vmtrust.cli;

import dev.vmtrust.agent.AgentReconciler;
import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigException;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.config.Locations;
import dev.vmtrust.notify.Announcer;
import dev.vmtrust.notify.CompositeNotifier;
import dev.vmtrust.notify.Notifications;
import dev.vmtrust.notify.NotifyStateFile;
import dev.vmtrust.platform.Durations;
import dev.vmtrust.reconcile.AgentRound;
import dev.vmtrust.source.KeychainSource;
import dev.vmtrust.source.TrustSettings;
import dev.vmtrust.ssh.SessionPool;
import dev.vmtrust.watch.Agent;
import dev.vmtrust.watch.LateTrust;
import dev.vmtrust.watch.ReconcileFn;
import dev.vmtrust.watch.WatchPlan;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * {@code vmtrust run}: the agent. Watches the sources and the VMs' folders, reconciles on every change, every
 * {@code resync}, and when a VM starts, until SIGTERM or SIGINT, then exits 0 (launchd and systemd treat the
 * JVM's default 143 as a failure). Editing the config file reloads the agent (an invalid edit is logged and
 * the previous config kept). Does not fork or daemonize: the service manager supervises it.
 */
@Command(name = "run", description = "Run the agent in the foreground: watch and reconcile until SIGTERM.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("dev.vmtrust.agent");
    private static final String STOP = "stop";
    private static final String RELOAD = "reload";

    @ParentCommand Cli cli;

    private final Context ctx;

    RunCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() throws Exception {
        Config config = cli.config();
        Locations locations = new Locations(ctx.env());
        Logging.agent(locations.logDir(), cli.verbose);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Signal.handle(new Signal("TERM"), s -> events.offer(STOP));
        Signal.handle(new Signal("INT"), s -> events.offer(STOP));
        while (true) {
            ConfigWatch watch = new ConfigWatch(config.file());
            String why = runUntil(config, locations, watch, events);
            if (why.equals(STOP)) break;
            try {
                config = ConfigLoader.load(Optional.ofNullable(cli.configFile), ctx.env());
                log.info("config {} changed; agent reloaded", config.file());
            } catch (ConfigException e) {
                // one log line per problem: the log escapes line breaks inside a message
                log.error("config {} changed but is invalid; keeping the previous config until it is fixed:", e.file());
                for (String problem : e.problems()) log.error("  {}", problem);
            }
        }
        log.info("vmtrust agent stopped");
        return ExitCodes.OK;
    }

    /**
     * macOS with the keychain source on: re-reads after keychain events and trust settings polling (trust set in
     * Keychain Access arrives after the keychain write, and since macOS 14 cannot be watched).
     */
    private Optional<LateTrust> lateTrust(Config config) {
        Config.Keychain k = config.sources().keychain();
        if (!ctx.env().os().keychainHost() || !KeychainSource.enabled(k)) return Optional.empty();
        return Optional.of(new LateTrust(Set.copyOf(k.keychains()), LateTrust.DEFAULT_REREADS, LateTrust.DEFAULT_POLL,
                () -> TrustSettings.fingerprint(ctx.runner(), k.command())));
    }

    /** Runs one agent for {@code config} until a stop signal or a config change; returns which. */
    private String runUntil(Config config, Locations locations, ConfigWatch watch, BlockingQueue<String> events)
            throws InterruptedException {
        Announcer announcer = new Announcer(new Notifications(ctx.clock()), new NotifyStateFile(locations.stateDir()),
                CompositeNotifier.fromConfig(config.notifications(), ctx.runner(), ctx.env()));
        WatchPlan plan = WatchPlan.of(config, ctx.env()).withSourceFile(config.file(), ctx.env().home());
        // one SSH session per VM, kept between rounds and closed when this agent stops or reloads
        try (SessionPool sessions = SessionPool.forAgent(ctx.ssh().create(config.ssh()), config.resync());
             AgentRound rounds = new AgentRound(Engines.of(ctx, config, sessions))) {
            AgentReconciler reconciler = new AgentReconciler(rounds, announcer);
            ReconcileFn fn = round -> {
                if (watch.changed()) events.offer(RELOAD);
                return reconciler.run(round);
            };
            try (Agent agent = new Agent(plan, fn, config.resync(), ctx.clock())) {
                lateTrust(config).ifPresent(agent::withLateTrust);
                agent.start();
                log.info("vmtrust agent started (config {}, resync every {})", config.file(), Durations.format(config.resync()));
                String why = events.take();
                log.info(why.equals(STOP) ? "vmtrust agent stopping" : "config changed; restarting the agent");
                return why;
            }
        }
    }
}
