package dev.vmtrust.source;

import dev.vmtrust.trust.Rejection;
import java.util.List;

/** What one source read: accepted CAs with their labels, and every rejected input with its reason. */
public record SourceResult(List<Found> found, List<Rejection> rejected) {
    public SourceResult {
        found = List.copyOf(found);
        rejected = List.copyOf(rejected);
    }
}
