package dev.vmtrust.doctor;

import dev.vmtrust.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of {@code vmtrust doctor}: what was checked, how it went, and the next step.
 *
 * @param id      stable kebab-case check id (table in {@link Doctor})
 * @param target  {@code colima/default}, {@code lima/dev} for per-target checks, else null
 * @param status  ok, warn or fail; only fail makes doctor exit 3
 * @param message what was found, one sentence, without the id or target name
 * @param hint    the next step in words a user can act on, or null when there is none
 */
public record Check(String id, String target, Status status, String message, String hint) {

    public enum Status {
        OK,
        WARN,
        FAIL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Check ok(String id, String target, String message) {
        return new Check(id, target, Status.OK, message, null);
    }

    public static Check warn(String id, String target, String message, String hint) {
        return new Check(id, target, Status.WARN, message, hint);
    }

    public static Check fail(String id, String target, String message, String hint) {
        return new Check(id, target, Status.FAIL, message, hint);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** DESIGN's literal shape: {@code {"id","target","status","message","hint"}}. */
    public Map<String, Object> toJson() {
        return Json.obj("id", id, "target", target, "status", status.word(), "message", message, "hint", hint);
    }

    public static boolean anyFailed(List<Check> checks) {
        return checks.stream().anyMatch(Check::failed);
    }
}
