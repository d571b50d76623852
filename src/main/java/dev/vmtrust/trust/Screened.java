package dev.vmtrust.trust;

import java.util.List;

/**
 * What reading some input gave, in one shape for every stage (the parser of one input: {@code Screened<CaCert>};
 * one source: {@code Screened<SourcedCa>}): what was {@code accepted}, every {@code rejected} input with its reason,
 * and {@code skipped}: inputs left out as routine noise (a keychain's non-CA and expired certificates), which
 * {@code list} counts in one line and names only with {@code -v}, and which are never logged one by one.
 */
public record Screened<T>(List<T> accepted, List<Rejection> rejected, List<Rejection> skipped) {
    public Screened {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
        skipped = List.copyOf(skipped);
    }

    public Screened(List<T> accepted, List<Rejection> rejected) {
        this(accepted, rejected, List.of());
    }
}
