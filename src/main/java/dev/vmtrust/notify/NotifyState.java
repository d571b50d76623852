package dev.vmtrust.notify;

import dev.vmtrust.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What notifications remember between reconciles and agent restarts (stored as {@code notify-state.json}):
 * the last known CA set ({@code bundle} null until one was seen) with enough about each CA to name the
 * removed ones, per target whether its failure was announced and for which bundle a pending restart was
 * announced, and when each expiring CA was last announced.
 * <pre>{"bundle":"sha256:..","cas":[{"sha256":..,"subject":..,"notAfter":..}],
 *  "targets":{"colima/default":{"failedNotified":true,"pendingNotifiedFor":"sha256:.."}},
 *  "expiryReminded":{"<sha256>":"2026-01-02T03:04:05Z"}}</pre>
 */
public record NotifyState(
        String bundle, List<CertInfo> cas, Map<String, TargetMemory> targets, Map<String, Instant> expiryReminded) {

    /** {@code pendingNotifiedFor}: the bundle label a restart-pending event was sent for, or null. */
    public record TargetMemory(boolean failedNotified, String pendingNotifiedFor) {
        public static final TargetMemory NONE = new TargetMemory(false, null);
    }

    public NotifyState {
        cas = List.copyOf(cas);
        targets = java.util.Collections.unmodifiableMap(new TreeMap<>(targets));
        expiryReminded = java.util.Collections.unmodifiableMap(new TreeMap<>(expiryReminded));
    }

    /** Nothing seen yet (first run after install). */
    public static NotifyState initial() {
        return new NotifyState(null, List.of(), Map.of(), Map.of());
    }

    public String toJson() {
        List<Object> caList = new ArrayList<>();
        for (CertInfo c : cas) caList.add(c.toJson());
        Map<String, Object> t = new TreeMap<>();
        targets.forEach((k, v) ->
                t.put(k, Json.obj("failedNotified", v.failedNotified(), "pendingNotifiedFor", v.pendingNotifiedFor())));
        Map<String, Object> e = new TreeMap<>();
        expiryReminded.forEach((k, v) -> e.put(k, v.toString()));
        return Json.write(Json.obj("bundle", bundle, "cas", caList, "targets", t, "expiryReminded", e));
    }

    /** Parses {@link #toJson()}; throws IllegalArgumentException (or another RuntimeException) when damaged. */
    public static NotifyState fromJson(String text) {
        Map<String, Object> m = Json.asObject(Json.parse(text));
        List<CertInfo> cas = new ArrayList<>();
        for (Object o : Json.asList(m.getOrDefault("cas", List.of()))) cas.add(CertInfo.fromJson(o));
        Map<String, TargetMemory> targets = new TreeMap<>();
        Json.asObject(m.getOrDefault("targets", Map.of())).forEach((k, v) -> {
            Map<String, Object> tm = Json.asObject(v);
            targets.put(k, new TargetMemory(Boolean.TRUE.equals(tm.get("failedNotified")), (String)
                    tm.get("pendingNotifiedFor")));
        });
        Map<String, Instant> reminded = new TreeMap<>();
        Json.asObject(m.getOrDefault("expiryReminded", Map.of()))
                .forEach((k, v) -> reminded.put(k, Instant.parse((String) v)));
        return new NotifyState((String) m.get("bundle"), cas, targets, reminded);
    }
}
