package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;

/** A CA certificate and the label of the input it came from ({@code keychain:<path>}, {@code file:<path>}, {@code vendor:<path>}). */
public record SourcedCa(CaCert cert, String source) {}
