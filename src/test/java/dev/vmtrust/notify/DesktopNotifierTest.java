package dev.vmtrust.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.FakeCommandRunner;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesktopNotifierTest {
    /** AppleScript and shell syntax in a CA's common name: it must stay one inert argv element. */
    private static final String HOSTILE_DN = "CN=\\\" & (do shell script \\\"touch /tmp/x\\\") & \\\" $(id) `id`";

    private static Event expiringHostileCa() {
        Instant now = Instant.now();
        var ca = TestCerts.rootCa(HOSTILE_DN, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)));
        var step = new Notifications(new MutableClock(now))
                .step(NotifyState.initial(), new Outcome(CaBundle.of(List.of(ca.cert())), Map.of()));
        return step.events().get(0);
    }

    @Test
    void onMacosTheTextTravelsAsArgumentsNeverInsideTheScript() {
        FakeCommandRunner runner = new FakeCommandRunner();
        Event e = expiringHostileCa();
        assertThat(e.message()).contains("CN=\\\" & (do shell script \\\"touch /tmp/x\\\") & \\\"", "$(id)", "`id`");

        new DesktopNotifier(runner, Os.MACOS).notify(e);

        assertThat(runner.argvs())
                .containsExactly(List.of(
                        "/usr/bin/osascript",
                        "-e",
                        "on run argv",
                        "-e",
                        "display notification (item 1 of argv) with title (item 2 of argv)",
                        "-e",
                        "end run",
                        e.message(),
                        "vmtrust: a CA expires soon"));
        assertThat(runner.calls().get(0).timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void onLinuxItIsNotifySendWithTitleAndBodyAsSeparateArguments() {
        FakeCommandRunner runner = new FakeCommandRunner();
        Event e = expiringHostileCa();

        new DesktopNotifier(runner, Os.LINUX).notify(e);

        assertThat(runner.argvs())
                .containsExactly(List.of(
                        "notify-send",
                        "-a",
                        "vmtrust",
                        "vmtrust: a CA expires soon",
                        e.message().replace("&", "&amp;")));
    }

    @Test
    void elsewhereNothingRuns() {
        FakeCommandRunner runner = new FakeCommandRunner();

        new DesktopNotifier(runner, Os.OTHER).notify(expiringHostileCa());

        assertThat(runner.calls()).isEmpty();
    }

    @Test
    void aMissingProgramOrATimeoutIsSwallowed() {
        Event e = new Event(Event.Kind.FAILED, Instant.EPOCH, "sha256:00", List.of(), List.of(), "lima/dev", "m");
        FakeCommandRunner runner = new FakeCommandRunner()
                .throwOn(List.of("notify-send", "-a", "vmtrust", e.title(), "m"), "`notify-send` timed out after 5s");

        new DesktopNotifier(runner, Os.LINUX).notify(e);
        new DesktopNotifier(new FakeCommandRunner().fallback(1, "", "no session"), Os.LINUX).notify(e);

        assertThat(runner.calls()).hasSize(1);
    }

    @Test
    void aVeryLongBodyIsShortened() {
        String body = "x".repeat(1000);

        List<String> argv = new DesktopNotifier(new FakeCommandRunner(), Os.LINUX).argv("t", body);

        assertThat(argv.get(4)).hasSize(DesktopNotifier.MAX_BODY).endsWith("...");
    }
}
