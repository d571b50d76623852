package dev.vmtrust.doctor;

import dev.vmtrust.platform.Durations;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.StateStore;
import dev.vmtrust.reconcile.TargetReport;
import dev.vmtrust.service.AgentEnvironment;
import dev.vmtrust.service.LaunchdService;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code agent} check (from {@link AgentStatus}) and {@code last-sync} (from status.json). */
final class AgentChecks {
    static final String AGENT = "agent";
    static final String LAST_SYNC = "last-sync";
    static final String AGENT_ENV = "agent-env";
    static final String NOTIFICATIONS = "notifications";
    private static final String FOREGROUND = "run `vmtrust run` in the foreground";

    private AgentChecks() {}

    static Check agent(AgentStatus status) {
        try {
            return agent(status.status());
        } catch (RuntimeException e) {
            return Check.warn(AGENT, null, "cannot tell whether the agent runs: " + e, FOREGROUND);
        }
    }

    /**
     * The agent checks from one look at the service manager: {@code agent}, then {@code agent-env} when the
     * service file records other homes or config than this shell has (the agent would watch other VMs), then,
     * on macOS with desktop notifications on, {@code notifications} (osascript's are dropped until allowed).
     */
    static List<Check> all(AgentStatus status, Environment env, boolean desktopNotifications) {
        AgentStatus.Snapshot s;
        try {
            s = status.status();
        } catch (RuntimeException e) {
            return List.of(Check.warn(AGENT, null, "cannot tell whether the agent runs: " + e, FOREGROUND));
        }
        List<Check> out = new ArrayList<>();
        out.add(agent(s));
        if (s.installed() && s.file() != null) {
            AgentEnvironment.recordedIn(s.file()).ifPresent(recorded -> {
                List<String> diff = AgentEnvironment.differences(recorded, AgentEnvironment.of(env));
                if (!diff.isEmpty())
                    out.add(Check.warn(
                            AGENT_ENV,
                            null,
                            "the agent sees other homes or config than "
                                    + "this shell (" + String.join("; ", diff)
                                    + "), so it watches other VMs or reads another "
                                    + "config than `vmtrust sync` here",
                            "run vmtrust install from this shell to give the agent " + "these values"));
            });
        }
        if (env.os().desktop() == Os.Desktop.OSASCRIPT && desktopNotifications)
            out.add(new Check(
                    NOTIFICATIONS,
                    null,
                    Check.Status.OK,
                    "desktop notifications are sent with osascript, whose sender is Script Editor; macOS drops them "
                            + "silently until Script Editor may notify",
                    LaunchdService.NOTIFICATIONS_HINT));
        return out;
    }

    static Check agent(AgentStatus.Snapshot s) {
        if (!s.supported()) return Check.warn(AGENT, null, "not available: " + s.detail(), FOREGROUND);
        if (!s.installed())
            return Check.warn(
                    AGENT,
                    null,
                    "not installed (" + s.file() + " does not exist)",
                    "vmtrust install, or " + FOREGROUND);
        if (s.running() == null)
            return Check.warn(
                    AGENT,
                    null,
                    "installed (" + s.file() + "), but cannot tell whether it runs: " + s.detail(),
                    FOREGROUND);
        if (s.running()) return Check.ok(AGENT, null, "installed (" + s.file() + ") and running");
        return Check.fail(
                AGENT,
                null,
                "installed (" + s.file() + ") but not running: " + s.detail(),
                s.startHint() == null ? FOREGROUND : s.startHint());
    }

    /**
     * The last reconcile from status.json. {@code bundleLabel}: the CA set now ({@code sha256:...}), null
     * when unknown; {@code resync}: the agent's period; a report older than three periods is stale.
     */
    static Check lastSync(StateStore store, Instant now, String bundleLabel, Duration resync) {
        Optional<Report> last;
        try {
            last = store.readReport();
        } catch (IOException e) {
            return Check.fail(LAST_SYNC, null, e.getMessage(), "vmtrust sync");
        }
        if (last.isEmpty())
            return Check.warn(
                    LAST_SYNC,
                    null,
                    "no reconcile yet (" + store.dir().resolve(StateStore.STATUS) + " does not exist)",
                    "vmtrust sync");
        Report r = last.get();
        Duration age = Duration.between(r.at(), now);
        String when = "last reconcile " + r.at() + " (" + ago(age) + ")";
        List<String> failed = r.targets().stream()
                .filter(TargetReport::failed)
                .map(TargetReport::name)
                .toList();
        if (!failed.isEmpty())
            return Check.warn(
                    LAST_SYNC,
                    null,
                    when + ": failed for " + String.join(", ", failed),
                    "vmtrust status shows why; then vmtrust sync");
        if (bundleLabel != null && !bundleLabel.equals(r.bundle()))
            return Check.warn(
                    LAST_SYNC,
                    null,
                    when + " pushed CA set " + r.bundle() + "; the CA set is now " + bundleLabel,
                    "vmtrust sync");
        if (age.compareTo(resync.multipliedBy(3)) > 0)
            return Check.warn(
                    LAST_SYNC,
                    null,
                    when + "; the agent reconciles every " + Durations.format(resync) + ", so it seems not to run",
                    "see the agent check, or vmtrust sync");
        return Check.ok(
                LAST_SYNC,
                null,
                when + ", CA set " + r.bundle() + ", " + r.targets().size() + " target"
                        + (r.targets().size() == 1 ? "" : "s"));
    }

    /** {@code 5m ago}, {@code 2h ago}, {@code 3d ago}; {@code just now} under a minute (or in the future). */
    static String ago(Duration d) {
        long s = d.getSeconds();
        if (s < 60) return "just now";
        if (s < 3600) return s / 60 + "m ago";
        if (s < 86400) return s / 3600 + "h ago";
        return s / 86400 + "d ago";
    }
}
