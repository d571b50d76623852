package dev.vmtrust.source;

import dev.vmtrust.trust.Screened;

/**
 * Something that yields certificates: the keychain, configured files, vendor files, the Linux host store.
 * Contract: {@link #read()} never throws for bad input (missing or broken files, a failing or hanging
 * command); every problem becomes a {@link dev.vmtrust.trust.Rejection} whose source is the input's label.
 */
public interface TrustSource {
    /** Short name for logs: {@code keychain}, {@code files}, {@code vendor}, {@code host}. */
    String name();

    Screened<SourcedCa> read();
}
