package dev.vmtrust.vm;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Pure planning: desired set + observation -> plan. No I/O, no clock; tested without fakes. */
public final class Planner {
    private Planner() {}

    public static LivePlan plan(CaBundle desired, VmObservation seen) {
        Set<String> want = new TreeSet<>();
        for (CaCert c : desired.certs()) want.add(c.fp16());
        List<String> add = want.stream().filter(f -> !seen.files().contains(f)).toList();
        List<String> remove =
                seen.files().stream().filter(f -> !want.contains(f)).toList();
        boolean stampOk = seen.stamp().map(desired.fingerprint()::equals).orElse(false);
        if (!add.isEmpty() || !remove.isEmpty() || !stampOk) return new LivePlan.Change(add, remove);
        if (!seen.pendingRestart().isEmpty()) return new LivePlan.FinishRestart(seen.pendingRestart());
        return new LivePlan.InSync();
    }
}
