package dev.vmtrust;

import dev.vmtrust.cli.Cli;
import dev.vmtrust.cli.Context;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.ssh.JschConnector;
import dev.vmtrust.ssh.OutputBudget;
import dev.vmtrust.vm.VmLiveness;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** The only place that builds real implementations; the OS is chosen once, in {@link Environment#system()}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Environment env = Environment.system();
        ProcessRunner runner = new ProcessRunner();
        OutputBudget budget = new OutputBudget(OutputBudget.DEFAULT_BYTES); // one for every SSH session
        Context ctx = new Context(
                env,
                runner,
                ssh -> new JschConnector(ssh, HostResolver.SYSTEM, budget),
                VmLiveness.system(),
                Clock.systemUTC(),
                out,
                err,
                Context.realServices(env, runner));
        System.exit(Cli.execute(ctx, args));
    }
}
