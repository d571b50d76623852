package dev.vmtrust.cli;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.reconcile.Reconcile;
import dev.vmtrust.service.ServiceManager;
import dev.vmtrust.service.ServiceManagers;
import dev.vmtrust.ssh.SessionPool;
import dev.vmtrust.ssh.SshConnectorFactory;
import dev.vmtrust.vm.VmLiveness;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything a command needs from the outside world. Main builds the real one; tests build one with
 * their own environment (temporary HOME, XDG_*, COLIMA_HOME, LIMA_HOME), fakes and string writers.
 */
public record Context(
        Environment env,
        CommandRunner runner,
        SshConnectorFactory ssh,
        VmLiveness liveness,
        Clock clock,
        PrintWriter out,
        PrintWriter err,
        ServiceFactory services) {

    /** Builds the service manager for the absolute path of the installed launcher. */
    @FunctionalInterface
    public interface ServiceFactory {
        ServiceManager forLauncher(Path launcher);
    }

    /** The one reconcile flow for {@code config}, with this context's parts; close it when done. */
    public Reconcile reconcile(Config config) {
        return new Reconcile(config, env, runner, ssh.create(config.ssh()), liveness, clock);
    }

    /**
     * The agent's: one SSH session per VM kept open between rounds ({@link SessionPool}), closed with the returned
     * object (the agent stops or reloads its config).
     */
    public Reconcile agentReconcile(Config config) {
        return new Reconcile(
                config, env, runner, SessionPool.forAgent(ssh.create(config.ssh()), config.resync()), liveness, clock);
    }

    /** The real service manager for this OS (install goes through {@link #runner()}, so tests pass a fake runner). */
    public static ServiceFactory realServices(Environment env, CommandRunner runner) {
        return launcher -> ServiceManagers.forOs(env.os(), runner, env, launcher);
    }
}
