package dev.vmtrust.cli;

import dev.vmtrust.agent.AgentRunner;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.config.Locations;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import sun.misc.Signal;

/**
 * {@code vmtrust run}: the agent ({@link AgentRunner}) in the foreground until SIGTERM or SIGINT, then exit 0
 * (launchd and systemd treat the JVM's default 143 as a failure). Does not fork or daemonize: the service
 * manager supervises it.
 */
@Command(name = "run", description = "Run the agent in the foreground: watch and reconcile until SIGTERM.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    private final Context ctx;

    RunCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        var config = cli.config();
        Logging.agent(new Locations(ctx.env()).logDir(), cli.verbose);
        AgentRunner agent = new AgentRunner(
                ctx.env(),
                ctx.runner(),
                ctx.clock(),
                () -> ConfigLoader.load(Optional.ofNullable(cli.configFile), ctx.env()),
                ctx::agentReconcile);
        Signal.handle(new Signal("TERM"), s -> agent.stop());
        Signal.handle(new Signal("INT"), s -> agent.stop());
        agent.run(config);
        return ExitCodes.OK;
    }
}
