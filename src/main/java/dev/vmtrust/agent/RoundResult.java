package dev.vmtrust.agent;

import java.util.Map;

/**
 * What one round did, per target name ({@code colima/default}, {@code lima/dev}). Targets the round
 * skipped ({@link Round#skip}) are left out; if one is reported anyway, the loop ignores it.
 */
public record RoundResult(Map<String, TargetOutcome> outcomes) {
    public RoundResult {
        outcomes = Map.copyOf(outcomes);
    }

    public static RoundResult of(Map<String, TargetOutcome> outcomes) {
        return new RoundResult(outcomes);
    }

    public static RoundResult empty() {
        return new RoundResult(Map.of());
    }
}
