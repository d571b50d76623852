package dev.vmtrust.reconcile;

import dev.vmtrust.json.Json;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.VmState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The value a reconcile returns, printed by {@code sync --json} and stored as status.json. */
public record Report(Instant at, String bundle, int cas, List<TargetReport> targets, List<TemplateReport> templates) {
    public Report {
        targets = List.copyOf(targets);
        templates = List.copyOf(templates);
    }

    public Report(Instant at, String bundle, int cas, List<TargetReport> targets) {
        this(at, bundle, cas, targets, List.of());
    }

    /**
     * Colima's template for new profiles ({@code _templates/default.yaml}): not a target (no VM), but it
     * carries the provision entry too, so a failure to update it fails the sync.
     */
    public record TemplateReport(String file, Persisted persisted, String error) {
        public boolean failed() {
            return persisted == Persisted.FAILED;
        }

        Map<String, Object> toJson() {
            return Json.obj("file", file, "persisted", TargetReport.word(persisted), "error", error);
        }
    }

    public boolean anyFailed() {
        return targets.stream().anyMatch(TargetReport::failed)
                || templates.stream().anyMatch(TemplateReport::failed);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = Json.obj(
                "at",
                at.toString(),
                "bundle",
                bundle,
                "cas",
                cas,
                "targets",
                targets.stream().map(TargetReport::toJson).toList());
        if (!templates.isEmpty())
            m.put("templates", templates.stream().map(TemplateReport::toJson).toList());
        return m;
    }

    /** Reads back what {@link #toJson()} wrote (status.json). */
    public static Report fromJson(Map<String, Object> m) {
        List<TargetReport> ts = Json.asList(m.get("targets")).stream()
                .map(o -> {
                    Map<String, Object> t = Json.asObject(o);
                    return new TargetReport(
                            (String) t.get("name"),
                            (String) t.get("kind"),
                            TargetReport.parse(VmState.class, (String) t.get("state")),
                            TargetReport.parse(LiveStatus.class, (String) t.get("result")),
                            TargetReport.parse(Persisted.class, (String) t.get("persisted")),
                            ((Number) t.get("added")).intValue(),
                            ((Number) t.get("removed")).intValue(),
                            strings(t.get("restarted")),
                            strings(t.get("pendingRestart")),
                            t.get("containersRunning") == null ? 0 : ((Number) t.get("containersRunning")).intValue(),
                            (String) t.get("error"),
                            (String) t.get("hint"),
                            List.of(),
                            strings(t.get("notes")));
                })
                .toList();
        List<TemplateReport> templates = m.get("templates") == null
                ? List.of()
                : Json.asList(m.get("templates")).stream()
                        .map(o -> {
                            Map<String, Object> t = Json.asObject(o);
                            return new TemplateReport(
                                    (String) t.get("file"),
                                    TargetReport.parse(Persisted.class, (String) t.get("persisted")),
                                    (String) t.get("error"));
                        })
                        .toList();
        return new Report(
                Instant.parse((String) m.get("at")),
                (String) m.get("bundle"),
                ((Number) m.get("cas")).intValue(),
                ts,
                templates);
    }

    private static List<String> strings(Object o) {
        return o == null
                ? List.of()
                : Json.asList(o).stream().map(String::valueOf).toList();
    }
}
