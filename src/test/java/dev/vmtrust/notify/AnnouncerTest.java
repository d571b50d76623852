package dev.vmtrust.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnouncerTest {
    private static final CaCert A = TestCerts.rootCa("CN=Corp Root A").cert();
    private static final CaCert B = TestCerts.rootCa("CN=Corp Root B").cert();

    @TempDir
    Path stateDir;

    private final List<Event> sent = new ArrayList<>();

    private Announcer announcer() {
        return new Announcer(
                new Notifications(new MutableClock(Instant.now())), new NotifyStateFile(stateDir), sent::add);
    }

    private static Outcome outcome(CaCert... certs) {
        return new Outcome(CaBundle.of(List.of(certs)), Map.of("lima/dev", TargetStatus.failed("down", true)));
    }

    @Test
    void anAgentRestartDoesNotRepeatEventsAndStillSeesTheRotation() throws Exception {
        announcer().announce(outcome(A));
        assertThat(sent).extracting(Event::event).containsExactly(Event.Kind.FAILED);

        Announcer restarted = announcer();
        restarted.announce(outcome(A));
        restarted.announce(outcome(A, B));

        assertThat(sent).extracting(Event::event).containsExactly(Event.Kind.FAILED, Event.Kind.ROTATED);
        Path file = stateDir.resolve("notify-state.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(file))
                .startsWith("{\"bundle\":\"" + CaBundle.of(List.of(A, B)).label() + "\"");
    }

    @Test
    void aDamagedStateFileStartsAfresh() throws Exception {
        Files.writeString(stateDir.resolve("notify-state.json"), "{not json");

        assertThat(new NotifyStateFile(stateDir).load()).isEqualTo(NotifyState.initial());
        assertThat(announcer().announce(outcome(A))).extracting(Event::event).containsExactly(Event.Kind.FAILED);
    }
}
