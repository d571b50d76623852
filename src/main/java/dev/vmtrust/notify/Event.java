package dev.vmtrust.notify;

import dev.vmtrust.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One notification. {@link #toJson()} is DESIGN.md's literal shape (keys fixed, in this order):
 * {@code {"event":"rotated","at":"...","bundle":"sha256:...","added":[...],"removed":[...],"target":null,"message":"..."}};
 * an {@code expiring} event adds one key after them: {@code "expiring":[{...}]}, the CAs it is about.
 */
public record Event(
        Kind event,
        Instant at,
        String bundle,
        List<CertInfo> added,
        List<CertInfo> removed,
        String target,
        String message,
        List<CertInfo> expiring) {

    public enum Kind {
        ROTATED("rotated", "CA set changed"),
        FAILED("failed", "a VM could not be updated"),
        RESTART_PENDING("restart-pending", "restart pending"),
        EXPIRING("expiring", "a CA expires soon");

        private final String word;
        private final String headline;

        Kind(String word, String headline) {
            this.word = word;
            this.headline = headline;
        }

        /** The JSON word: {@code rotated}, {@code failed}, {@code restart-pending}, {@code expiring}. */
        public String word() {
            return word;
        }
    }

    public Event {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        expiring = List.copyOf(expiring);
    }

    public Event(
            Kind event,
            Instant at,
            String bundle,
            List<CertInfo> added,
            List<CertInfo> removed,
            String target,
            String message) {
        this(event, at, bundle, added, removed, target, message, List.of());
    }

    /** The desktop notification title: {@code vmtrust: CA set changed}. The body is {@link #message()}. */
    public String title() {
        return "vmtrust: " + event.headline;
    }

    public Map<String, Object> toJsonObject() {
        Map<String, Object> m = Json.obj(
                "event",
                event.word(),
                "at",
                at.toString(),
                "bundle",
                bundle,
                "added",
                infos(added),
                "removed",
                infos(removed),
                "target",
                target,
                "message",
                message);
        if (!expiring.isEmpty()) m.put("expiring", infos(expiring));
        return m;
    }

    /** One line of JSON, no trailing newline. */
    public String toJson() {
        return Json.write(toJsonObject());
    }

    private static List<Object> infos(List<CertInfo> l) {
        List<Object> out = new ArrayList<>();
        for (CertInfo c : l) out.add(c.toJson());
        return out;
    }
}
