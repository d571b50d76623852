package dev.vmtrust.source;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.Rejection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code vmtrust list} prints: the CA set, the labels of every source that yielded each of its CAs
 * (by SHA-256, in source order: keychain, files, vendor), and every rejected input with its reason.
 */
public record Collected(CaBundle bundle, Map<String, List<String>> labels, List<Rejection> rejected) {
    public Collected {
        TreeMap<String, List<String>> copy = new TreeMap<>();
        labels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        labels = Collections.unmodifiableMap(copy);
        rejected = List.copyOf(rejected);
    }
}
