package dev.vmtrust.service;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Linux: a systemd user unit, {@code $XDG_CONFIG_HOME/systemd/user/vmtrust.service} (else
 * {@code ~/.config/...}), enabled for {@code default.target}; logs go to the user journal.
 *
 * <p>{@code systemctl --user} needs the user's manager and its D-Bus socket: containers and SSH sessions
 * without a login session have neither ("Failed to connect to bus"). install probes first and, without
 * one, changes nothing and says what to do instead. {@code enable --now} does not restart a running
 * service, so an update of a running unit adds {@code restart}.
 */
public final class SystemdUserService implements ServiceManager {
    public static final String UNIT = "vmtrust.service";
    static final Duration PROBE = Duration.ofSeconds(10);
    /** Starting/stopping waits for the agent; the unit gives it TimeoutStopSec=20. */
    static final Duration CHANGE = Duration.ofSeconds(45);

    private final CommandRunner runner;
    private final Environment env;
    private final Path launcher;

    public SystemdUserService(CommandRunner runner, Environment env, Path launcher) {
        this.runner = runner;
        this.env = env;
        this.launcher = launcher;
    }

    /** XDG variables count only when absolute (the XDG spec says to ignore relative ones). */
    public Path unitFile() {
        Path config = env.get("XDG_CONFIG_HOME")
                .map(Path::of)
                .filter(Path::isAbsolute)
                .orElseGet(() -> env.home().resolve(".config"));
        return config.resolve("systemd/user").resolve(UNIT);
    }

    /** The unit as install writes it. */
    public String render() {
        StringBuilder environment = new StringBuilder();
        AgentEnvironment.of(env).forEach((k, v) -> environment.append('\n').append(Templates.systemdEnvironment(k, v)));
        return Templates.render(
                Templates.load(UNIT),
                Map.of(
                        "LAUNCHER",
                                Templates.systemdWord(
                                        launcher.toAbsolutePath().normalize().toString()),
                        "ENVIRONMENT", environment.toString()));
    }

    @Override
    public InstallResult install(boolean dryRun) throws ServiceException {
        ServiceFile f = ServiceFile.of(unitFile(), launcher, this::render);
        String content = f.content();
        byte[] bytes = f.bytes();
        Path unit = f.file();
        boolean existed = f.existed();
        boolean same = f.same();
        Probe enabled = probe("is-enabled");
        if (enabled.noBus() != null) {
            return new InstallResult(
                    InstallResult.Outcome.NO_USER_SESSION,
                    dryRun,
                    unit,
                    content,
                    List.of(),
                    "systemd --user is not reachable here (" + enabled.noBus() + "), so vmtrust cannot install its "
                            + "user service; nothing was changed. Next step: run `vmtrust run` in the foreground, "
                            + "or enable a user manager with `loginctl enable-linger $USER`, log in again, and run "
                            + "`vmtrust install` again");
        }
        boolean active = probe("is-active").says("active");
        if (same && enabled.says("enabled") && active) {
            return new InstallResult(
                    InstallResult.Outcome.ALREADY_CURRENT,
                    dryRun,
                    unit,
                    content,
                    List.of(),
                    "the vmtrust agent is already installed and current (" + unit + ", " + UNIT
                            + " enabled and active); nothing to do");
        }
        List<List<String>> commands = new ArrayList<>();
        commands.add(systemctl("daemon-reload"));
        commands.add(systemctl("enable", "--now", UNIT));
        if (active && !same) commands.add(systemctl("restart", UNIT));
        InstallResult.Outcome outcome = !existed
                ? InstallResult.Outcome.INSTALLED
                : same ? InstallResult.Outcome.STARTED : InstallResult.Outcome.UPDATED;
        if (dryRun) {
            return new InstallResult(
                    outcome,
                    true,
                    unit,
                    content,
                    commands,
                    "dry run, nothing changed: would "
                            + (same ? "enable and start " + UNIT : "write " + unit + " and enable and start " + UNIT));
        }
        if (!same) {
            try {
                AtomicFiles.SYSTEM.write(unit, bytes, "rw-r--r--");
            } catch (IOException e) {
                throw new ServiceException("cannot write " + unit + ": " + e.getMessage());
            }
        }
        for (List<String> c : commands) check(c);
        String msg = switch (outcome) {
            case INSTALLED -> "installed the vmtrust agent: wrote " + unit + " and enabled and started " + UNIT;
            case UPDATED ->
                "updated the vmtrust agent: rewrote " + unit + " and " + (active ? "restarted " : "started ") + UNIT;
            default -> "the vmtrust agent was installed but not running; enabled and started " + UNIT + " now";
        };
        return new InstallResult(outcome, false, unit, content, commands, msg + "; logs: journalctl --user -u vmtrust");
    }

    @Override
    public UninstallResult uninstall() throws ServiceException {
        Path unit = unitFile();
        List<List<String>> commands = new ArrayList<>();
        if (!Files.exists(unit)) {
            Probe active = probe("is-active");
            if (active.noBus() != null || !active.says("active")) {
                return new UninstallResult(
                        UninstallResult.Outcome.NOT_INSTALLED,
                        unit,
                        List.of(),
                        "the vmtrust agent is not installed; nothing to do");
            }
            commands.add(systemctl("stop", UNIT));
            commands.add(systemctl("daemon-reload"));
            for (List<String> c : commands) check(c);
            return new UninstallResult(
                    UninstallResult.Outcome.UNINSTALLED,
                    unit,
                    commands,
                    "stopped " + UNIT + " (its unit file " + unit + " was already gone)");
        }
        List<String> disable = systemctl("disable", "--now", UNIT);
        CommandResult r = run(disable, CHANGE);
        String noBus = noBus(r);
        if (noBus == null && !r.ok())
            throw new ServiceException("cannot stop the vmtrust agent: " + r.failureMessage());
        if (noBus == null) commands.add(disable);
        try {
            Files.deleteIfExists(unit);
        } catch (IOException e) {
            throw new ServiceException("cannot delete " + unit + ": " + e.getMessage());
        }
        if (noBus != null) {
            return new UninstallResult(
                    UninstallResult.Outcome.UNINSTALLED,
                    unit,
                    commands,
                    "removed " + unit + "; systemd --user is not reachable here (" + noBus
                            + "), so nothing was stopped");
        }
        commands.add(systemctl("daemon-reload"));
        check(commands.get(commands.size() - 1));
        return new UninstallResult(
                UninstallResult.Outcome.UNINSTALLED,
                unit,
                commands,
                "uninstalled the vmtrust agent: stopped and disabled " + UNIT + " and removed " + unit);
    }

    /** The answer of {@code systemctl --user is-enabled|is-active vmtrust.service}; {@code noBus} set when unreachable. */
    private record Probe(String stdout, String noBus) {
        boolean says(String word) {
            return noBus == null && stdout.strip().equals(word);
        }
    }

    private Probe probe(String verb) throws ServiceException {
        List<String> argv = systemctl(verb, UNIT);
        try {
            CommandResult r = runner.run(argv, PROBE);
            return new Probe(r.stdout(), noBus(r));
        } catch (CommandException e) {
            return new Probe("", e.getMessage());
        }
    }

    /** Why systemctl could not talk to the user manager, or null when it could. */
    static String noBus(CommandResult r) {
        if (r.ok()) return null;
        String err = r.stderr();
        boolean unreachable = err.contains("Failed to connect to")
                || err.contains("not been booted with systemd")
                || err.contains("Failed to get D-Bus connection")
                || err.contains("DBUS_SESSION_BUS_ADDRESS");
        return unreachable ? CommandResult.tail(err, 1) : null;
    }

    private static List<String> systemctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("systemctl", "--user"));
        argv.addAll(List.of(args));
        return argv;
    }

    private void check(List<String> argv) throws ServiceException {
        CommandResult r = run(argv, CHANGE);
        if (!r.ok())
            throw new ServiceException("systemd did not accept the vmtrust agent: " + r.failureMessage()
                    + "; see: systemctl --user status vmtrust");
    }

    private CommandResult run(List<String> argv, Duration timeout) throws ServiceException {
        try {
            return runner.run(argv, timeout);
        } catch (CommandException e) {
            throw new ServiceException(e.getMessage(), e);
        }
    }
}
