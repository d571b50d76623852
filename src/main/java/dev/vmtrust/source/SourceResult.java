package dev.vmtrust.source;

import dev.vmtrust.trust.Rejection;
import java.util.List;

/**
 * What one source read: accepted CAs with their labels, every rejected input with its reason, and
 * {@code skipped}: inputs left out as routine noise (a keychain's non-CA and expired certificates), which
 * {@code list} counts in one line and names only with {@code -v}, and which are never logged one by one.
 */
public record SourceResult(List<SourcedCa> found, List<Rejection> rejected, List<Rejection> skipped) {
    public SourceResult {
        found = List.copyOf(found);
        rejected = List.copyOf(rejected);
        skipped = List.copyOf(skipped);
    }

    public SourceResult(List<SourcedCa> found, List<Rejection> rejected) { this(found, rejected, List.of()); }
}
