package dev.vmtrust.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The CA set: immutable, sorted by fingerprint, de-duplicated by SHA-256 of the DER.
 * Its fingerprint is the SHA-256 over the sorted lowercase-hex fingerprints, each followed by '\n'.
 */
public final class CaBundle {
    private final List<CaCert> certs;
    private final String fingerprint;

    private CaBundle(List<CaCert> sorted) {
        this.certs = List.copyOf(sorted);
        StringBuilder sb = new StringBuilder();
        for (CaCert c : certs) sb.append(c.sha256()).append('\n');
        this.fingerprint = CaCert.sha256Hex(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    public static CaBundle of(Collection<CaCert> certs) {
        TreeMap<String, CaCert> byFp = new TreeMap<>();
        for (CaCert c : certs) byFp.putIfAbsent(c.sha256(), c);
        return new CaBundle(new ArrayList<>(byFp.values()));
    }

    public static CaBundle empty() {
        return new CaBundle(List.of());
    }

    public List<CaCert> certs() {
        return certs;
    }

    public int size() {
        return certs.size();
    }

    public boolean isEmpty() {
        return certs.isEmpty();
    }
    /** Lowercase hex, 64 digits. */
    public String fingerprint() {
        return fingerprint;
    }
    /** {@code sha256:<hex>}, the form shown to users and in JSON. */
    public String label() {
        return "sha256:" + fingerprint;
    }

    public Optional<CaCert> find(String sha256) {
        return certs.stream().filter(c -> c.sha256().equals(sha256)).findFirst();
    }

    /** Concatenated PEM in fingerprint order; byte-for-byte deterministic. */
    public String pem() {
        StringBuilder sb = new StringBuilder();
        for (CaCert c : certs) sb.append(c.pem());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaBundle b && b.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return label() + " (" + certs.size() + " CAs)";
    }
}
