package dev.vmtrust.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    private static final CertInfo NEW =
            new CertInfo("aa11", "CN=New Root,O=Corp", Instant.parse("2036-01-01T00:00:00Z"));
    private static final CertInfo OLD =
            new CertInfo("bb22", "CN=Old Root,O=Corp", Instant.parse("2026-04-01T00:00:00Z"));

    @Test
    void aRotatedEventIsDesignsLiteralShape() {
        Event e = new Event(Event.Kind.ROTATED, AT, "sha256:ff00", List.of(NEW), List.of(OLD), null, "CA set changed");

        assertThat(e.toJson())
                .isEqualTo("{\"event\":\"rotated\",\"at\":\"2026-03-01T10:00:00Z\",\"bundle\":\"sha256:ff00\","
                        + "\"added\":[{\"sha256\":\"aa11\",\"subject\":\"CN=New Root,O=Corp\",\"notAfter\":\"2036-01-01T00:00:00Z\"}],"
                        + "\"removed\":[{\"sha256\":\"bb22\",\"subject\":\"CN=Old Root,O=Corp\",\"notAfter\":\"2026-04-01T00:00:00Z\"}],"
                        + "\"target\":null,\"message\":\"CA set changed\"}");
    }

    @Test
    void aTargetEventNamesItsTargetAndUsesTheHyphenatedWord() {
        Event e = new Event(Event.Kind.RESTART_PENDING, AT, "sha256:ff00", List.of(), List.of(), "colima/default", "m");

        assertThat(e.toJson())
                .isEqualTo(
                        "{\"event\":\"restart-pending\",\"at\":\"2026-03-01T10:00:00Z\","
                                + "\"bundle\":\"sha256:ff00\",\"added\":[],\"removed\":[],\"target\":\"colima/default\",\"message\":\"m\"}");
        assertThat(e.title()).isEqualTo("vmtrust: restart pending");
    }

    @Test
    void anExpiringEventAddsTheExpiringKeyAfterTheFixedOnes() {
        Event e = new Event(Event.Kind.EXPIRING, AT, "sha256:ff00", List.of(), List.of(), null, "m", List.of(OLD));

        assertThat(e.toJson())
                .isEqualTo(
                        "{\"event\":\"expiring\",\"at\":\"2026-03-01T10:00:00Z\","
                                + "\"bundle\":\"sha256:ff00\",\"added\":[],\"removed\":[],\"target\":null,\"message\":\"m\","
                                + "\"expiring\":[{\"sha256\":\"bb22\",\"subject\":\"CN=Old Root,O=Corp\",\"notAfter\":\"2026-04-01T00:00:00Z\"}]}");
    }
}
