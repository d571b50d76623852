package dev.vmtrust.doctor;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.service.LaunchdService;
import dev.vmtrust.service.SystemdUserService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link AgentStatus} from the service file and one status command, through {@link CommandRunner} with a
 * short timeout. Linux: {@code $XDG_CONFIG_HOME/systemd/user/vmtrust.service} (else
 * {@code ~/.config/systemd/user/...}) and {@code systemctl --user is-active vmtrust.service}; macOS:
 * {@code ~/Library/LaunchAgents/dev.vmtrust.agent.plist} and {@code launchctl print gui/<uid>/dev.vmtrust.agent}.
 * No command runs when the file does not exist. The names are the service package's: it writes these files.
 */
public final class UnitFileAgentStatus implements AgentStatus {
    static final String UNIT = SystemdUserService.UNIT;
    static final String LABEL = LaunchdService.LABEL;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Environment env;
    private final CommandRunner runner;

    public UnitFileAgentStatus(Environment env, CommandRunner runner) {
        this.env = env;
        this.runner = runner;
    }

    @Override
    public Snapshot status() {
        return switch (env.os().serviceManager()) {
            case SYSTEMD_USER -> systemd();
            case LAUNCHD -> launchd();
            case NONE -> new Snapshot(false, null, false, null, "no launchd or systemd on this OS", null);
        };
    }

    private Snapshot systemd() {
        Path configHome = env.get("XDG_CONFIG_HOME")
                .map(Path::of)
                .filter(Path::isAbsolute)
                .orElseGet(() -> env.home().resolve(".config"));
        Path unit = configHome.resolve("systemd/user/" + UNIT);
        String start = "systemctl --user start " + UNIT + " (logs: journalctl --user -u vmtrust)";
        if (!Files.exists(unit)) return new Snapshot(true, unit, false, null, null, start);
        try {
            CommandResult r = runner.run(List.of("systemctl", "--user", "is-active", UNIT), TIMEOUT);
            String said = r.stdout().strip();
            if (said.equals("active")) return new Snapshot(true, unit, true, true, "systemd says active", start);
            if (r.exitCode() != 0 && said.isEmpty()) {
                return new Snapshot(
                        true,
                        unit,
                        true,
                        null,
                        "systemd --user is not reachable here (" + CommandResult.tail(r.stderr(), 2) + ")",
                        start);
            }
            return new Snapshot(true, unit, true, false, "systemd says " + said, start);
        } catch (CommandException e) {
            return new Snapshot(true, unit, true, null, e.getMessage(), start);
        }
    }

    private Snapshot launchd() {
        Path plist = env.home().resolve("Library/LaunchAgents/" + LABEL + ".plist");
        if (!Files.exists(plist)) return new Snapshot(true, plist, false, null, null, null);
        try {
            Optional<String> uid = uid();
            if (uid.isEmpty()) return new Snapshot(true, plist, true, null, "cannot find the user id (id -u)", null);
            String service = "gui/" + uid.get() + "/" + LABEL;
            String start = "launchctl kickstart " + service + " (logs: "
                    + env.home().resolve("Library/Logs/vmtrust/vmtrust.log") + ")";
            CommandResult r = runner.run(List.of("launchctl", "print", service), TIMEOUT);
            if (!r.ok())
                return new Snapshot(
                        true,
                        plist,
                        true,
                        false,
                        "launchd has not loaded " + service,
                        "launchctl bootstrap gui/" + uid.get() + " " + plist);
            boolean running = r.stdout().lines().anyMatch(l -> l.strip().equals("state = running"));
            return new Snapshot(
                    true,
                    plist,
                    true,
                    running,
                    running ? "launchd says running" : "launchd has it loaded, not running",
                    start);
        } catch (CommandException e) {
            return new Snapshot(true, plist, true, null, e.getMessage(), null);
        }
    }

    private Optional<String> uid() throws CommandException {
        CommandResult r = runner.run(List.of("id", "-u"), TIMEOUT);
        String s = r.stdout().strip();
        return r.ok() && s.matches("[0-9]{1,10}") ? Optional.of(s) : Optional.empty();
    }
}
