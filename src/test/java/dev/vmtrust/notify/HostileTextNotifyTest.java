package dev.vmtrust.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.cli.Logging;
import dev.vmtrust.json.Json;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.SafeText;
import dev.vmtrust.testing.FakeCommandRunner;
import dev.vmtrust.testing.StderrCapture;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12 finding 6: a subject with CR LF, an ESC sequence, U+202E and markup reaches no desktop raw. */
class HostileTextNotifyTest {
    static final String SUBJECT = "CN=Evil\r\nINFO forged\u001b[31m\u202eexe.<a href=\"x\">&</a>";
    static final String SHOWN = "CN=Evil\\r\\nINFO forged\\x1b[31m\\u202eexe.<a href=\"x\">&</a>";

    private static Event rotated() {
        CertInfo c = new CertInfo("ab".repeat(32), SUBJECT, Instant.parse("2030-01-01T00:00:00Z"));
        String message = new Messages(ZoneOffset.UTC).rotated(List.of(c), List.of());
        return new Event(Event.Kind.ROTATED, Instant.EPOCH, "sha256:00", List.of(c), List.of(), null, message);
    }

    @Test
    void notifySendGetsTheSubjectEscapedAndItsMarkupAsEntities() {
        FakeCommandRunner runner = new FakeCommandRunner();

        new DesktopNotifier(runner, Os.LINUX).notify(rotated());

        assertThat(runner.argvs())
                .containsExactly(List.of(
                        "notify-send",
                        "-a",
                        "vmtrust",
                        "vmtrust: CA set changed",
                        "CA set changed: added \"CN=Evil\\r\\nINFO forged\\x1b[31m\\u202eexe.&lt;a href=\"x\"&gt;&amp;&lt;/a&gt;\""
                                + " (expires 2030-01-01). vmtrust is updating your VMs."));
    }

    @Test
    void osascriptGetsTheSubjectEscapedAsAnArgvItemWithQuotesAndMarkupKept() {
        FakeCommandRunner runner = new FakeCommandRunner();

        new DesktopNotifier(runner, Os.MACOS).notify(rotated());

        assertThat(runner.argvs().get(0))
                .endsWith(
                        "end run",
                        "CA set changed: added \"" + SHOWN + "\" (expires 2030-01-01). vmtrust is updating your VMs.",
                        "vmtrust: CA set changed");
    }

    @Test
    void theHookJsonCarriesTheExactSubjectAsValidJson() {
        Event e = rotated();

        Map<String, Object> json = Json.asObject(Json.parse(e.toJson()));

        assertThat(e.toJson()).doesNotContain("\r", "\n", "\u001b", "\u202e");
        assertThat(Json.asObject(Json.asList(json.get("added")).get(0))).containsEntry("subject", SUBJECT);
    }

    @Test
    void theRotatedLogLineShowsTheSubjectEscapedOnOneLine() {
        String log;
        try (StderrCapture capture = new StderrCapture()) {
            Logging.verbose(true);
            new LogNotifier().notify(rotated());
            log = capture.text();
        } finally {
            Logging.verbose(false);
        }

        assertThat(log)
                .hasLineCount(1)
                .endsWith(" INFO  LogNotifier: rotated: CA set changed: added \"" + SHOWN
                        + "\" (expires 2030-01-01). vmtrust is updating your VMs. ["
                        + SafeText.escape(rotated().toJson()) + "]\n");
        assertThat(log)
                .as("the JSON's own escapes get their backslash doubled, so they read unambiguously")
                .contains(
                        "\"subject\":\"CN=Evil\\\\r\\\\nINFO forged\\\\u001b[31m\\\\u202eexe.<a href=\\\"x\\\">&</a>\"");
    }
}
