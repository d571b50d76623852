package dev.vmtrust.notify;

import dev.vmtrust.json.Json;
import dev.vmtrust.trust.CaCert;
import java.time.Instant;
import java.util.Map;

/** What an event says about one CA: {@code {"sha256":"<hex>","subject":"CN=...","notAfter":"<ISO-8601>"}}. */
public record CertInfo(String sha256, String subject, Instant notAfter) {
    public static CertInfo of(CaCert c) {
        return new CertInfo(c.sha256(), c.subject(), c.notAfter());
    }

    public Map<String, Object> toJson() {
        return Json.obj("sha256", sha256, "subject", subject, "notAfter", notAfter.toString());
    }

    static CertInfo fromJson(Object v) {
        Map<String, Object> m = Json.asObject(v);
        return new CertInfo(
                (String) m.get("sha256"), (String) m.get("subject"), Instant.parse((String) m.get("notAfter")));
    }
}
