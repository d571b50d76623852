package dev.vmtrust.notify;

import dev.vmtrust.trust.CaBundle;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reconcile as notifications see it: the desired CA set and every target's status, by target name
 * ({@code colima/default}, {@code lima/dev}). Targets absent here are forgotten (deleted profiles).
 */
public record Outcome(CaBundle bundle, Map<String, TargetStatus> targets) {
    public Outcome {
        targets = java.util.Collections.unmodifiableMap(new TreeMap<>(targets));
    }
}
