package dev.vmtrust.reconcile;

import dev.vmtrust.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one reconcile did to one target. {@code result} is the live part (the running VM),
 * {@code persisted} the provision entry in its YAML; either failing makes the target failed.
 * {@code notes}: remarks that are not failures (a file left as it is, a user's edit replaced), JSON key "notes".
 */
public record TargetReport(String name, String kind, State state, Result result, Persisted persisted,
                           int added, int removed, List<String> restarted, List<String> pendingRestart,
                           int containersRunning, String error, String hint, List<String> diffs,
                           List<String> notes) {

    public enum State { RUNNING, STOPPED, UNREACHABLE }

    public enum Result { UNCHANGED, UPDATED, PENDING_RESTART, FAILED, SKIPPED, WOULD_UPDATE }

    public enum Persisted { UNCHANGED, UPDATED, FAILED, SKIPPED, WOULD_UPDATE }

    public TargetReport {
        restarted = List.copyOf(restarted);
        pendingRestart = List.copyOf(pendingRestart);
        diffs = List.copyOf(diffs);
        notes = List.copyOf(notes);
    }

    /** Without notes. */
    public TargetReport(String name, String kind, State state, Result result, Persisted persisted,
                        int added, int removed, List<String> restarted, List<String> pendingRestart,
                        int containersRunning, String error, String hint, List<String> diffs) {
        this(name, kind, state, result, persisted, added, removed, restarted, pendingRestart, containersRunning,
                error, hint, diffs, List.of());
    }

    public boolean failed() { return result == Result.FAILED || persisted == Persisted.FAILED; }

    /** DESIGN's literal shape; extra keys are added after the fixed ones. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = Json.obj("name", name, "kind", kind, "state", word(state), "result", word(result),
                "persisted", word(persisted), "added", added, "removed", removed,
                "restarted", new ArrayList<>(restarted), "pendingRestart", new ArrayList<>(pendingRestart),
                "error", error);
        if (hint != null) m.put("hint", hint);
        if (containersRunning > 0) m.put("containersRunning", containersRunning);
        if (!notes.isEmpty()) m.put("notes", new ArrayList<>(notes));
        return m;
    }

    /** {@code PENDING_RESTART} -> {@code pending-restart}. */
    public static String word(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static <E extends Enum<E>> E parse(Class<E> type, String word) {
        return Enum.valueOf(type, word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
