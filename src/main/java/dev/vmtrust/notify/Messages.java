package dev.vmtrust.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The human text of each event (the desktop notification body and the JSON {@code message}). Each says
 * what happened, where, and the next step. Every text starts with vmtrust's own words or a target name,
 * never with certificate text (see {@link DesktopNotifier}).
 */
final class Messages {
    /** Subjects listed per change before "and N more". */
    static final int MAX_LISTED = 3;

    private final ZoneId zone;

    Messages(ZoneId zone) {
        this.zone = zone;
    }

    /** {@code CA set changed: added "CN=A" (expires 2030-01-01); removed "CN=B". vmtrust is updating your VMs.} */
    String rotated(List<CertInfo> added, List<CertInfo> removed) {
        StringBuilder sb = new StringBuilder("CA set changed");
        String sep = ": ";
        if (!added.isEmpty()) {
            sb.append(sep).append("added ").append(list(added, true));
            sep = "; ";
        }
        if (!removed.isEmpty()) sb.append(sep).append("removed ").append(list(removed, false));
        return sb.append(". vmtrust is updating your VMs.").toString();
    }

    /** {@code lima/dev: could not update the VM's CAs after retries: <error>. Run vmtrust doctor for the next step.} */
    String failed(String target, String error) {
        String e = error == null || error.isBlank() ? "unknown error" : error.strip();
        if (e.endsWith(".")) e = e.substring(0, e.length() - 1);
        return target + ": could not update the VM's CAs after retries: " + e
                + ". Run vmtrust doctor for the next step.";
    }

    String restartPending(String target, List<String> engines, int containers) {
        String who = engines.isEmpty() ? "its container engines" : String.join(", ", engines);
        String running = containers == 1
                ? " (1 container running)"
                : containers > 1 ? " (" + containers + " containers running)" : "";
        return target + " trusts the new CAs, but " + who + " keep the old ones until restarted" + running
                + ". Restart when convenient: vmtrust sync --restart always --target " + target;
    }

    /** {@code CA "CN=Corp Root" expires in 12 days (2026-03-01). Ask IT for its replacement; ...} */
    String expiring(CertInfo c, Instant now) {
        long days = Duration.between(now, c.notAfter()).toDays();
        String when = days <= 0 ? "within a day" : days == 1 ? "in 1 day" : "in " + days + " days";
        return "CA \"" + c.subject() + "\" expires " + when + " (" + date(c.notAfter()) + ")."
                + " Ask IT for its replacement; vmtrust picks it up once this computer trusts it.";
    }

    private String list(List<CertInfo> certs, boolean withExpiry) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(certs.size(), MAX_LISTED); i++) {
            if (i > 0) sb.append(", ");
            CertInfo c = certs.get(i);
            sb.append('"').append(c.subject()).append('"');
            if (withExpiry) sb.append(" (expires ").append(date(c.notAfter())).append(')');
        }
        if (certs.size() > MAX_LISTED)
            sb.append(" and ").append(certs.size() - MAX_LISTED).append(" more");
        return sb.toString();
    }

    private String date(Instant t) {
        return t.atZone(zone).toLocalDate().toString();
    }
}
