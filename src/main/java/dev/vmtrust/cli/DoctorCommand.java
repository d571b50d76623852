package dev.vmtrust.cli;

import dev.vmtrust.config.ConfigException;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.doctor.Check;
import dev.vmtrust.doctor.CheckText;
import dev.vmtrust.doctor.Doctor;
import dev.vmtrust.doctor.HostTlsProbe;
import dev.vmtrust.doctor.UnitFileAgentStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vmtrust doctor}: one line per check with the next step; exit 0 when nothing fails, else 3.
 * An invalid config is a failed check here (not exit 2), so the other checks still run.
 */
@Command(
        name = "doctor",
        description = "Diagnose config, sources, CA set, VMs, TLS and the agent, with the next step for each problem.")
final class DoctorCommand implements Callable<Integer>, JsonOutput {
    @ParentCommand
    Cli cli;

    @Option(names = "--json", description = "print {\"checks\":[...]} as JSON")
    boolean json;

    private final Context ctx;

    DoctorCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public boolean json() {
        return json;
    }

    @Override
    public Integer call() {
        Doctor doctor = new Doctor(new Doctor.Parts(
                ctx.env(),
                ctx.runner(),
                ctx.ssh(),
                ctx.liveness(),
                ctx.clock(),
                new HostTlsProbe(),
                new UnitFileAgentStatus(ctx.env(), ctx.runner())));
        List<Check> checks;
        boolean invalidConfig = false;
        try {
            checks = doctor.run(ConfigLoader.load(Optional.ofNullable(cli.configFile), ctx.env()));
        } catch (ConfigException e) {
            checks = doctor.run(e);
            invalidConfig = true;
        }
        if (json) ctx.out().println(CheckText.json(checks));
        else CheckText.print(ctx.out(), checks);
        // every check is still printed; the exit code follows DESIGN's order (2 before 3)
        if (invalidConfig) return ExitCodes.USAGE;
        return Check.anyFailed(checks) ? ExitCodes.TARGET_FAILED : ExitCodes.OK;
    }
}
