package dev.vmtrust.doctor;

import dev.vmtrust.trust.CaBundle;
import java.net.URI;

/**
 * A TLS handshake to one URL from the host, judged against the public roots and the CA set.
 * Contract: sends nothing beyond the TLS handshake and one HTTP HEAD, is bounded by a short timeout,
 * and never throws: every problem is a {@link TlsProbeResult}.
 */
@FunctionalInterface
public interface TlsProbe {
    TlsProbeResult probe(URI url, CaBundle set);
}
