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
 * macOS: a launchd user agent, {@code ~/Library/LaunchAgents/dev.vmtrust.agent.plist}, loaded in the
 * {@code gui/<uid>} domain: only that domain reaches the login keychain and Notification Center (a
 * {@code user/<uid>} or system job would not). {@code <uid>} comes from {@code id -u}.
 *
 * <p>launchd quirks handled here: {@code bootstrap} fails on a job that is already loaded, so a reinstall
 * boots the old job out first, and waits until {@code launchctl print} no longer finds it (bootout returns
 * while launchd may still be tearing the job down, and an immediate bootstrap then fails with
 * "Input/output error"). launchd starts jobs with PATH {@code /usr/bin:/bin:/usr/sbin:/sbin}, so the plist
 * sets a PATH with Homebrew's folders. launchd does not create the log folder; install does.
 */
public final class LaunchdService implements ServiceManager {
    public static final String LABEL = "dev.vmtrust.agent";
    /** The name the agent's logger writes (cli.Logging) and the plist sends stdout/stderr to. */
    public static final String LOG_FILE = "vmtrust.log";

    static final String TEMPLATE = LABEL + ".plist";
    /** macOS drops osascript's notifications silently until Script Editor may notify; install and doctor say how. */
    public static final String NOTIFICATIONS_HINT = "to see them, allow Script Editor once: System Settings > "
            + "Notifications > Script Editor > Allow Notifications (if Script Editor is not listed, open Script Editor, "
            + "run: display notification \"vmtrust\", and allow it when asked)";

    static final Duration PROBE = Duration.ofSeconds(10);
    /** bootout waits for the agent to exit; launchd SIGKILLs it after ExitTimeOut (20 s). */
    static final Duration BOOTOUT = Duration.ofSeconds(30);

    static final Duration UNLOAD_POLL = Duration.ofMillis(500);
    static final int UNLOAD_POLLS = 20;

    /** Waiting between polls; tests pass one that returns at once. */
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final CommandRunner runner;
    private final Path home;
    private final Path launcher;
    private final Pause pause;
    private final Map<String, String> recorded;

    public LaunchdService(CommandRunner runner, Environment env, Path launcher, Pause pause) {
        this.runner = runner;
        this.home = env.home();
        this.launcher = launcher;
        this.pause = pause;
        this.recorded = AgentEnvironment.of(env);
    }

    public Path plist() {
        return home.resolve("Library/LaunchAgents").resolve(TEMPLATE);
    }

    public Path logDir() {
        return home.resolve("Library/Logs/vmtrust");
    }
    /** The agent's one log: its own log lines and anything the JVM or the launcher prints (the plist's stdout/stderr). */
    public Path logFile() {
        return logDir().resolve(LOG_FILE);
    }

    /** The plist as install writes it. */
    public String render() {
        return Templates.render(
                Templates.load(TEMPLATE),
                Map.of(
                        "LAUNCHER",
                                Templates.xml(
                                        launcher.toAbsolutePath().normalize().toString()),
                        "HOME", Templates.xml(home.toString()),
                        "LOGDIR", Templates.xml(logDir().toString()),
                        "ENVIRONMENT", environment()));
    }

    /** The recorded variables as plist pairs, each on its own line after the fixed ones. */
    private String environment() {
        StringBuilder b = new StringBuilder();
        recorded.forEach((k, v) -> b.append("\n\t\t<key>")
                .append(k)
                .append("</key>\n\t\t<string>")
                .append(Templates.xml(v))
                .append("</string>"));
        return b.toString();
    }

    @Override
    public InstallResult install(boolean dryRun) throws ServiceException {
        ServiceFile f = ServiceFile.of(plist(), launcher, this::render);
        String content = f.content();
        byte[] bytes = f.bytes();
        Path plist = f.file();
        boolean existed = f.existed();
        boolean same = f.same();
        String domain = "gui/" + uid();
        String job = domain + "/" + LABEL;
        boolean loaded = print(job).ok();
        if (same && loaded) {
            return new InstallResult(
                    InstallResult.Outcome.ALREADY_CURRENT,
                    dryRun,
                    plist,
                    content,
                    List.of(),
                    "the vmtrust agent is already installed and current (" + plist + ", loaded in " + domain
                            + "); nothing to do");
        }
        List<List<String>> commands = new ArrayList<>();
        if (loaded) commands.add(List.of("launchctl", "bootout", job));
        commands.add(List.of("launchctl", "bootstrap", domain, plist.toString()));
        InstallResult.Outcome outcome = !existed
                ? InstallResult.Outcome.INSTALLED
                : same ? InstallResult.Outcome.STARTED : InstallResult.Outcome.UPDATED;
        if (dryRun) {
            return new InstallResult(
                    outcome,
                    true,
                    plist,
                    content,
                    commands,
                    "dry run, nothing changed: would " + (same ? "load " + plist : "write " + plist + " and load it")
                            + " in " + domain);
        }
        try {
            Files.createDirectories(logDir());
            if (!same) AtomicFiles.SYSTEM.write(plist, bytes, "rw-r--r--");
        } catch (IOException e) {
            throw new ServiceException("cannot write " + plist + ": " + e.getMessage());
        }
        if (loaded) bootout(job);
        CommandResult r = run(commands.get(commands.size() - 1), PROBE);
        if (!r.ok()) throw new ServiceException(refusal(r, domain, job));
        String msg = switch (outcome) {
            case INSTALLED -> "installed the vmtrust agent: wrote " + plist + " and loaded it in " + domain;
            case UPDATED -> "updated the vmtrust agent: rewrote " + plist + " and reloaded it in " + domain;
            default -> "the vmtrust agent was installed but not loaded; loaded " + plist + " in " + domain + " now";
        };
        return new InstallResult(
                outcome,
                false,
                plist,
                content,
                commands,
                msg + "; logs: " + logFile() + ". Notifications: " + NOTIFICATIONS_HINT);
    }

    @Override
    public UninstallResult uninstall() throws ServiceException {
        Path plist = plist();
        String job = "gui/" + uid() + "/" + LABEL;
        boolean loaded = print(job).ok();
        if (!loaded && !Files.exists(plist)) {
            return new UninstallResult(
                    UninstallResult.Outcome.NOT_INSTALLED,
                    plist,
                    List.of(),
                    "the vmtrust agent is not installed; nothing to do");
        }
        List<List<String>> commands = new ArrayList<>();
        if (loaded) {
            bootout(job);
            commands.add(List.of("launchctl", "bootout", job));
        }
        try {
            Files.deleteIfExists(plist);
        } catch (IOException e) {
            throw new ServiceException("stopped the vmtrust agent but cannot delete " + plist + ": " + e.getMessage());
        }
        return new UninstallResult(
                UninstallResult.Outcome.UNINSTALLED,
                plist,
                commands,
                "uninstalled the vmtrust agent: " + (loaded ? "stopped it and " : "") + "removed " + plist);
    }

    /**
     * Why {@code launchctl bootstrap} failed, with the next step. launchd answers 125 ("Domain does not support
     * specified action") or "Could not find domain" when there is no {@code gui/<uid>} domain (a shell over SSH,
     * no one logged in at the screen), and 5 ("Input/output error") when the job is switched off under Login
     * Items ("Allow in the Background", macOS 13+).
     */
    static String refusal(CommandResult r, String domain, String job) {
        String said = r.stderr() + r.stdout();
        if (r.exitCode() == 125 || said.contains("Domain does not support") || said.contains("Could not find domain")) {
            return "launchd has no " + domain + " domain here (" + r.failureMessage() + "): that domain exists only "
                    + "for a user logged in at the Mac's screen, not in an SSH session, and the agent needs it for the "
                    + "login keychain and notifications. Next step: run vmtrust install in Terminal on the Mac itself "
                    + "(or through Screen Sharing); until then run `vmtrust run` in the foreground";
        }
        if (r.exitCode() == 5 || said.contains("Bootstrap failed: 5")) {
            return "launchd refused to load the vmtrust agent (" + r.failureMessage() + "): this usually means it is "
                    + "switched off under System Settings > General > Login Items (\"Allow in the Background\": vmtrust "
                    + "shows as an item from an unidentified developer). Next step: switch it on there (or run: "
                    + "launchctl enable " + job + ") and run vmtrust install again";
        }
        return "launchd refused the vmtrust agent: " + r.failureMessage() + "; if vmtrust is switched off under System "
                + "Settings > General > Login Items, switch it on (or run: launchctl enable " + job + ") and run "
                + "vmtrust install again";
    }

    /** Unloads the job (SIGTERM, SIGKILL after ExitTimeOut) and waits until launchd no longer lists it. */
    private void bootout(String job) throws ServiceException {
        CommandResult r = run(List.of("launchctl", "bootout", job), BOOTOUT);
        for (int i = 0; i < UNLOAD_POLLS; i++) {
            if (!print(job).ok()) return;
            try {
                pause.pause(UNLOAD_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceException("interrupted while waiting for launchd to unload " + job);
            }
        }
        throw new ServiceException("launchd still lists " + job + " after `launchctl bootout` ("
                + (r.ok() ? "exit 0" : r.failureMessage()) + "); try again, or log out and in");
    }

    private CommandResult print(String job) throws ServiceException {
        return run(List.of("launchctl", "print", job), PROBE);
    }

    private String uid() throws ServiceException {
        CommandResult r = run(List.of("id", "-u"), PROBE);
        String uid = r.stdout().strip();
        if (!r.ok() || !uid.matches("\\d+"))
            throw new ServiceException("cannot find your user id: " + r.failureMessage());
        return uid;
    }

    private CommandResult run(List<String> argv, Duration timeout) throws ServiceException {
        try {
            return runner.run(argv, timeout);
        } catch (CommandException e) {
            throw new ServiceException(e.getMessage(), e);
        }
    }
}
