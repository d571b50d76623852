package dev.vmtrust.trust;

import java.util.List;

/** What {@link CertParser} made of one input: the CA certificates it accepted and everything it refused. */
public record ParseResult(List<CaCert> cas, List<Rejection> rejected) {
    public ParseResult {
        cas = List.copyOf(cas);
        rejected = List.copyOf(rejected);
    }
}
