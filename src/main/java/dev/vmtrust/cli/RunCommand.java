package dev.vmtrust.cli;

import dev.vmtrust.agent.AgentReconciler;
import dev.vmtrust.config.Config;
import dev.vmtrust.config.Locations;
import dev.vmtrust.notify.Announcer;
import dev.vmtrust.notify.CompositeNotifier;
import dev.vmtrust.notify.Notifications;
import dev.vmtrust.notify.NotifyStateFile;
import dev.vmtrust.reconcile.AgentRound;
import dev.vmtrust.watch.Agent;
import dev.vmtrust.watch.WatchPlan;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * {@code vmtrust run}: the agent. Watches the sources and the VMs' folders, reconciles on every change, every
 * {@code resync}, and when a VM starts, until SIGTERM or SIGINT, then exits 0 (launchd and systemd treat the
 * JVM's default 143 as a failure). Does not fork or daemonize: the service manager supervises it.
 */
@Command(name = "run", description = "Run the agent in the foreground: watch and reconcile until SIGTERM.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand Cli cli;

    private final Context ctx;

    RunCommand(Context ctx) { this.ctx = ctx; }

    @Override public Integer call() throws Exception {
        Config config = cli.config();
        Locations locations = new Locations(ctx.env());
        Logging.agent(locations.logDir(), cli.verbose);
        AgentRound rounds = new AgentRound(Engines.of(ctx, config));
        Announcer announcer = new Announcer(new Notifications(ctx.clock()), new NotifyStateFile(locations.stateDir()),
                CompositeNotifier.fromConfig(config.notifications(), ctx.runner(), ctx.env().os()));
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        var log = LoggerFactory.getLogger("dev.vmtrust.agent");
        try (Agent agent = new Agent(WatchPlan.of(config, ctx.env()), new AgentReconciler(rounds, announcer),
                config.resync(), ctx.clock())) {
            agent.start();
            log.info("vmtrust agent started (config {}, resync every {})", config.file(),
                    dev.vmtrust.platform.Durations.format(config.resync()));
            stop.await();
            log.info("vmtrust agent stopping");
        } finally {
            rounds.close();
        }
        log.info("vmtrust agent stopped");
        return ExitCodes.OK;
    }
}
