package dev.vmtrust.reconcile;

import dev.vmtrust.cli.ExitCodes;
import dev.vmtrust.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The value a reconcile returns, printed by {@code sync --json} and stored as status.json. */
public record Report(Instant at, String bundle, int cas, List<TargetReport> targets) {
    public Report {
        targets = List.copyOf(targets);
    }

    public boolean anyFailed() { return targets.stream().anyMatch(TargetReport::failed); }

    public int exitCode() { return anyFailed() ? ExitCodes.TARGET_FAILED : ExitCodes.OK; }

    public Map<String, Object> toJson() {
        return Json.obj("at", at.toString(), "bundle", bundle, "cas", cas,
                "targets", targets.stream().map(TargetReport::toJson).toList());
    }

    /** Reads back what {@link #toJson()} wrote (status.json). */
    public static Report fromJson(Map<String, Object> m) {
        List<TargetReport> ts = Json.asList(m.get("targets")).stream().map(o -> {
            Map<String, Object> t = Json.asObject(o);
            return new TargetReport((String) t.get("name"), (String) t.get("kind"),
                    TargetReport.parse(TargetReport.State.class, (String) t.get("state")),
                    TargetReport.parse(TargetReport.Result.class, (String) t.get("result")),
                    TargetReport.parse(TargetReport.Persisted.class, (String) t.get("persisted")),
                    ((Number) t.get("added")).intValue(), ((Number) t.get("removed")).intValue(),
                    strings(t.get("restarted")), strings(t.get("pendingRestart")),
                    t.get("containersRunning") == null ? 0 : ((Number) t.get("containersRunning")).intValue(),
                    (String) t.get("error"), (String) t.get("hint"), List.of());
        }).toList();
        return new Report(Instant.parse((String) m.get("at")), (String) m.get("bundle"),
                ((Number) m.get("cas")).intValue(), ts);
    }

    private static List<String> strings(Object o) {
        return o == null ? List.of() : Json.asList(o).stream().map(String::valueOf).toList();
    }
}
