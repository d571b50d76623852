package dev.vmtrust.notify;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which events a reconcile deserves, from the previous {@link NotifyState} and the new
 * {@link Outcome}: only real changes, never an unchanged reconcile. A pure function of its inputs
 * and the clock. Rules:
 * <ol>
 * <li>{@code rotated}: the CA set's fingerprint differs from the last known one. The first set ever seen
 *     (no previous bundle: first run after install) is only recorded, not announced: nothing rotated.
 *     An empty set is never recorded (it is never pushed; the reconcile reports that itself).</li>
 * <li>{@code failed}: a target enters "failed, retries exhausted"; not again until it has been
 *     {@code Ok} or {@code PendingRestart} in between. A failure the agent will still retry is silent.</li>
 * <li>{@code restart-pending}: once per target per bundle.</li>
 * <li>{@code expiring}: a CA of the set expires within {@link #EXPIRY_WINDOW}; at most once per
 *     {@link #REMIND_EVERY} per CA.</li>
 * </ol>
 * Events come in that order; targets by name.
 */
public final class Notifications {
    public static final Duration EXPIRY_WINDOW = Duration.ofDays(30);
    public static final Duration REMIND_EVERY = Duration.ofDays(1);
    private final Clock clock;

    public Notifications(Clock clock) {
        this.clock = clock;
    }

    /** The events to send and the state to remember for next time. */
    public record Step(List<Event> events, NotifyState state) {
        public Step {
            events = List.copyOf(events);
        }
    }

    public Step step(NotifyState previous, Outcome outcome) {
        Instant now = clock.instant();
        Messages text = new Messages(clock.getZone());
        CaBundle bundle = outcome.bundle();
        String label = bundle.label();
        List<Event> events = new ArrayList<>();

        String knownBundle = previous.bundle();
        List<CertInfo> knownCas = previous.cas();
        if (!bundle.isEmpty()) {
            List<CertInfo> cas = bundle.certs().stream().map(CertInfo::of).toList();
            if (knownBundle != null && !knownBundle.equals(label)) {
                Set<String> before = shas(knownCas);
                Set<String> after = shas(cas);
                List<CertInfo> added =
                        cas.stream().filter(c -> !before.contains(c.sha256())).toList();
                List<CertInfo> removed = knownCas.stream()
                        .filter(c -> !after.contains(c.sha256()))
                        .toList();
                events.add(
                        new Event(Event.Kind.ROTATED, now, label, added, removed, null, text.rotated(added, removed)));
            }
            knownBundle = label;
            knownCas = cas;
        }

        Map<String, NotifyState.TargetMemory> targets = new HashMap<>();
        outcome.targets().forEach((name, status) -> {
            NotifyState.TargetMemory m = previous.targets().getOrDefault(name, NotifyState.TargetMemory.NONE);
            boolean failedNotified = m.failedNotified();
            String pendingFor = m.pendingNotifiedFor();
            if (status instanceof TargetStatus.Ok) {
                failedNotified = false;
            } else if (status instanceof TargetStatus.Failed f) {
                if (f.retriesExhausted() && !failedNotified) {
                    events.add(new Event(
                            Event.Kind.FAILED, now, label, List.of(), List.of(), name, text.failed(name, f.error())));
                    failedNotified = true;
                }
            } else if (status instanceof TargetStatus.PendingRestart p) {
                failedNotified = false;
                if (!label.equals(pendingFor)) {
                    events.add(new Event(
                            Event.Kind.RESTART_PENDING,
                            now,
                            label,
                            List.of(),
                            List.of(),
                            name,
                            text.restartPending(name, p.engines(), p.containers())));
                    pendingFor = label;
                }
            }
            targets.put(name, new NotifyState.TargetMemory(failedNotified, pendingFor));
        });

        Map<String, Instant> reminded = new HashMap<>();
        for (CaCert c : bundle.certs()) {
            if (c.notAfter().isAfter(now.plus(EXPIRY_WINDOW))) continue;
            Instant last = previous.expiryReminded().get(c.sha256());
            if (last != null && now.isBefore(last.plus(REMIND_EVERY))) {
                reminded.put(c.sha256(), last);
                continue;
            }
            CertInfo info = CertInfo.of(c);
            events.add(new Event(
                    Event.Kind.EXPIRING,
                    now,
                    label,
                    List.of(),
                    List.of(),
                    null,
                    text.expiring(info, now),
                    List.of(info)));
            reminded.put(c.sha256(), now);
        }
        return new Step(events, new NotifyState(knownBundle, knownCas, targets, reminded));
    }

    private static Set<String> shas(List<CertInfo> l) {
        return l.stream().map(CertInfo::sha256).collect(Collectors.toSet());
    }
}
