package dev.vmtrust.vm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What discovery found: targets sorted by name, and notes about things that were skipped (an instance
 * dir without lima.yaml, a configured profile that does not exist). Notes are information, not errors.
 */
public record Discovery(List<TargetRef> targets, List<String> notes) {
    public Discovery {
        targets = targets.stream().sorted(Comparator.comparing(TargetRef::name)).toList();
        notes = List.copyOf(notes);
    }

    public static Discovery empty() {
        return new Discovery(List.of(), List.of());
    }

    public Discovery plus(Discovery other) {
        List<TargetRef> t = new ArrayList<>(targets);
        t.addAll(other.targets);
        List<String> n = new ArrayList<>(notes);
        n.addAll(other.notes);
        return new Discovery(t, n);
    }
}
