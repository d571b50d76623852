package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the CAs that VMs already trust: public roots (same fingerprint, or same subject and key as a
 * public root), and CAs that chain to one. A chain is followed by issuer name and signature, through
 * intermediates found among the candidates themselves. Corporate roots and their intermediates pass.
 * "When in doubt, it is pushed": with {@code byChain} false (the reference is not the set VMs ship, e.g.
 * Apple's roots) only a self-signed root with the exact fingerprint of a reference root is dropped; nothing
 * is dropped for its chain or for sharing a name and key.
 */
public final class PublicFilter {
    private final List<CaCert> roots;
    private final Set<String> rootFingerprints = new HashSet<>();
    private final boolean byChain;

    public PublicFilter(Collection<CaCert> publicRoots) {
        this(publicRoots, true);
    }

    public PublicFilter(Collection<CaCert> publicRoots, boolean byChain) {
        this.roots = List.copyOf(publicRoots);
        this.byChain = byChain;
        for (CaCert r : roots) rootFingerprints.add(r.sha256());
    }

    /** Why {@code c} is dropped, or empty when it stays; {@code candidates} are every CA the sources found. */
    public Optional<String> reason(CaCert c, Collection<CaCert> candidates) {
        if (!byChain) {
            return rootFingerprints.contains(c.sha256()) && c.selfSigned()
                    ? Optional.of("public root; VMs already trust it")
                    : Optional.empty();
        }
        if (isPublic(c)) return Optional.of("public root; VMs already trust it");
        return anchor(c, candidates, new HashSet<>(Set.of(c.sha256())))
                .map(root -> "chains to public root \"" + root.subject() + "\"; VMs already trust it");
    }

    private boolean isPublic(CaCert c) {
        if (rootFingerprints.contains(c.sha256())) return true;
        for (CaCert r : roots) {
            if (r.x509().getSubjectX500Principal().equals(c.x509().getSubjectX500Principal())
                    && Arrays.equals(
                            r.x509().getPublicKey().getEncoded(),
                            c.x509().getPublicKey().getEncoded())) return true;
        }
        return false;
    }

    /**
     * The public root that {@code c} chains to, walking up through candidates not yet visited. A candidate
     * that is itself a public root (same subject and key) is caught by the first loop one level down.
     */
    private Optional<CaCert> anchor(CaCert c, Collection<CaCert> candidates, Set<String> visited) {
        for (CaCert r : roots) if (c.signedBy(r)) return Optional.of(r);
        if (c.selfSigned()) return Optional.empty();
        for (CaCert issuer : candidates) {
            if (visited.contains(issuer.sha256()) || !c.signedBy(issuer)) continue;
            visited.add(issuer.sha256());
            Optional<CaCert> up = anchor(issuer, candidates, visited);
            if (up.isPresent()) return up;
        }
        return Optional.empty();
    }
}
