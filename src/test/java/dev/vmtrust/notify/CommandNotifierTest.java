package dev.vmtrust.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.FakeCommandRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandNotifierTest {
    private static final Event EVENT = new Event(
            Event.Kind.FAILED,
            Instant.parse("2026-03-01T10:00:00Z"),
            "sha256:ff00",
            List.of(),
            List.of(),
            "lima/dev",
            "lima/dev: could not update the VM's CAs");
    private static final List<String> HOOK = List.of("/opt/hooks/notify", "--channel", "it ops");

    @Test
    void theHookGetsTheEventJsonAndANewlineOnStdin() {
        FakeCommandRunner runner = new FakeCommandRunner();

        new CommandNotifier(runner, HOOK, Duration.ofSeconds(7)).notify(EVENT);

        assertThat(runner.calls()).hasSize(1);
        var call = runner.calls().get(0);
        assertThat(call.argv()).isEqualTo(HOOK);
        assertThat(call.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(call.stdinText())
                .isEqualTo(
                        "{\"event\":\"failed\",\"at\":\"2026-03-01T10:00:00Z\",\"bundle\":\"sha256:ff00\","
                                + "\"added\":[],\"removed\":[],\"target\":\"lima/dev\",\"message\":\"lima/dev: could not update the VM's CAs\"}\n");
    }

    @Test
    void aFailingOrHungHookNeverThrows() {
        new CommandNotifier(new FakeCommandRunner().fallback(2, "", "boom"), HOOK, Duration.ofSeconds(1)).notify(EVENT);
        new CommandNotifier(new FakeCommandRunner().throwOn(HOOK, "timed out"), HOOK, Duration.ofSeconds(1))
                .notify(EVENT);
    }

    @Test
    void theCompositeUsesTheConfiguredChannelsAndLogsAlways() {
        FakeCommandRunner runner = new FakeCommandRunner();

        CompositeNotifier all = CompositeNotifier.fromConfig(new Config.Notify(true, HOOK), runner, Os.LINUX);
        CompositeNotifier logOnly = CompositeNotifier.fromConfig(new Config.Notify(false, List.of()), runner, Os.LINUX);
        all.notify(EVENT);

        assertThat(all.channels())
                .extracting(n -> n.getClass().getSimpleName())
                .containsExactly("LogNotifier", "DesktopNotifier", "CommandNotifier");
        assertThat(logOnly.channels())
                .extracting(n -> n.getClass().getSimpleName())
                .containsExactly("LogNotifier");
        assertThat(runner.argvs()).extracting(a -> a.get(0)).containsExactly("notify-send", "/opt/hooks/notify");
    }

    @Test
    void oneChannelThrowingDoesNotKeepTheEventFromTheOthers() {
        List<Event> seen = new ArrayList<>();
        Notifier broken = e -> {
            throw new IllegalStateException("broken");
        };

        new CompositeNotifier(List.of(broken, seen::add)).notify(EVENT);

        assertThat(seen).containsExactly(EVENT);
    }
}
