package dev.vmtrust.reconcile;

import dev.vmtrust.json.Json;
import dev.vmtrust.vm.LiveResult;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.PersistSync;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one reconcile did to one target. {@code result} is the live part (the running VM),
 * {@code persisted} the provision entry in its YAML; either failing makes the target failed.
 * {@code notes}: remarks that are not failures (a file left as it is, a user's edit replaced), JSON key "notes".
 */
public record TargetReport(
        String name,
        String kind,
        VmState state,
        LiveStatus result,
        Persisted persisted,
        int added,
        int removed,
        List<String> restarted,
        List<String> pendingRestart,
        int containersRunning,
        String error,
        String hint,
        List<String> diffs,
        List<String> notes) {

    public TargetReport {
        restarted = List.copyOf(restarted);
        pendingRestart = List.copyOf(pendingRestart);
        diffs = List.copyOf(diffs);
        notes = List.copyOf(notes);
    }

    /**
     * The one fold of a target's two parts: the live result gives state, result and its counts; the persisted
     * part its word and diff. The live error wins the error field; a persisted error then becomes a note.
     */
    public static TargetReport of(TargetRef t, LiveResult live, PersistSync.Outcome persisted) {
        List<String> notes = new ArrayList<>();
        if (live.error() != null && persisted.error() != null)
            notes.add("provision entry failed: " + persisted.error());
        if (persisted.note() != null) notes.add(persisted.note());
        return new TargetReport(
                t.name(),
                t.kind().word(),
                live.state(),
                live.status(),
                persisted.persisted(),
                live.added(),
                live.removed(),
                live.restarted(),
                live.pendingRestart(),
                live.containersRunning(),
                live.error() != null ? live.error() : persisted.error(),
                live.hint(),
                persisted.diff().isEmpty() ? List.of() : List.of(persisted.diff()),
                notes);
    }

    public boolean failed() {
        return result == LiveStatus.FAILED || persisted == Persisted.FAILED;
    }

    /** DESIGN's literal shape; extra keys are added after the fixed ones. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = Json.obj(
                "name",
                name,
                "kind",
                kind,
                "state",
                word(state),
                "result",
                word(result),
                "persisted",
                word(persisted),
                "added",
                added,
                "removed",
                removed,
                "restarted",
                new ArrayList<>(restarted),
                "pendingRestart",
                new ArrayList<>(pendingRestart),
                "error",
                error);
        if (hint != null) m.put("hint", hint);
        if (containersRunning > 0) m.put("containersRunning", containersRunning);
        if (!notes.isEmpty()) m.put("notes", new ArrayList<>(notes));
        return m;
    }

    /** {@code PENDING_RESTART} -> {@code pending-restart}. */
    public static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String word) {
        return Enum.valueOf(type, word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
