package dev.vmtrust.notify;

import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.CommandResult;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.SafeText;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desktop notification: Notification Center through {@code osascript} on macOS, {@code notify-send} on
 * Linux, nothing elsewhere. Best effort (no session, no notification daemon, filtered by Focus): failures
 * are logged at debug, the log notifier carries the text anyway.
 *
 * <p>Text from certificates (subjects) is attacker-influenced, so it is never spliced into a script: the
 * AppleScript is a constant that reads {@code argv}, and title and body travel as separate argv elements.
 * Title and body always begin with vmtrust's own words, so neither tool can take them for options.
 * On macOS the notification is attributed to Script Editor; it shows only from the {@code gui/<uid>}
 * domain (the launchd agent runs there).
 */
public final class DesktopNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopNotifier.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Notification Center and notify-send truncate long text anyway; keep argv small. */
    static final int MAX_BODY = 600;

    private final CommandRunner runner;
    private final Os os;
    private final String osascript;

    public DesktopNotifier(CommandRunner runner, Os os) {
        this(runner, os, "/usr/bin/osascript");
    }

    /** {@code osascript}: the program to run on macOS ({@code /usr/bin/osascript}; the macOS test lane's stand-in). */
    public DesktopNotifier(CommandRunner runner, Os os, String osascript) {
        this.runner = runner;
        this.os = os;
        this.osascript = osascript;
    }

    /**
     * The argv for this OS, or an empty list where there is no desktop channel. Title and body are escaped
     * ({@link SafeText}: no control, bidi or zero-width character reaches the desktop), then the body is
     * shortened. osascript: the script is a constant, the text arrives as {@code argv} items, which
     * AppleScript never parses, so quotes and backslashes need no AppleScript escaping. notify-send: the
     * body is markup (notification daemons render {@code <b>}, {@code <a href>}, {@code &amp;}), so
     * {@code & < >} become entities; the summary (title) is plain text by the specification and is
     * vmtrust's own words anyway.
     */
    List<String> argv(String title, String body) {
        String t = SafeText.escape(title);
        String b = shorten(SafeText.escape(body));
        return switch (os.desktop()) {
            case OSASCRIPT ->
                List.of(
                        osascript,
                        "-e",
                        "on run argv",
                        "-e",
                        "display notification (item 1 of argv) with title (item 2 of argv)",
                        "-e",
                        "end run",
                        b,
                        t);
            case NOTIFY_SEND -> List.of("notify-send", "-a", "vmtrust", t, markup(b));
            case NONE -> List.of();
        };
    }

    /** At most {@link #MAX_BODY} characters, never splitting a surrogate pair. */
    private static String shorten(String s) {
        if (s.length() <= MAX_BODY) return s;
        int end = MAX_BODY - 3;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "...";
    }

    /** Text for a markup body: {@code &}, {@code <}, {@code >} as entities. */
    static String markup(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void notify(Event e) {
        List<String> argv = argv(e.title(), e.message());
        if (argv.isEmpty()) return;
        try {
            CommandResult r = runner.run(argv, TIMEOUT);
            if (!r.ok()) LOG.debug("desktop notification not shown: {}", r.failureMessage());
        } catch (CommandException ex) {
            LOG.debug("desktop notification not shown: {}", ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.warn("desktop notification failed", ex);
        }
    }
}
