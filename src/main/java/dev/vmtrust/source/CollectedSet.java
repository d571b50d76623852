package dev.vmtrust.source;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.Rejection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code vmtrust list} prints: the CA set, the labels of every source that yielded each of its CAs
 * (by SHA-256, in source order: keychain, files, vendor, host), every rejected input with its reason, the
 * routine skips ({@link dev.vmtrust.trust.Screened#skipped()}), the public-root reference used (null when
 * {@code excludePublic} is off) and, for "no CA found", where the sources looked and the next step.
 */
public record CollectedSet(
        CaBundle bundle,
        Map<String, List<String>> labels,
        List<Rejection> rejected,
        List<Rejection> skipped,
        PublicRoots.Reference publicRoots,
        Looked looked) {
    /** Where the sources looked (e.g. {@code keychain /Library/Keychains/System.keychain}) and what to do when none had a CA. */
    public record Looked(List<String> places, String nextStep) {
        public Looked {
            places = List.copyOf(places);
        }

        public static Looked nowhere() {
            return new Looked(List.of(), "list your proxy's root CA file under sources.files");
        }

        /** {@code looked in: A; B. Next: ...} */
        public String text() {
            return "looked in: " + (places.isEmpty() ? "nothing (every source is off)" : String.join("; ", places))
                    + ". Next: " + nextStep;
        }
    }

    public CollectedSet {
        TreeMap<String, List<String>> copy = new TreeMap<>();
        labels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        labels = Collections.unmodifiableMap(copy);
        rejected = List.copyOf(rejected);
        skipped = List.copyOf(skipped);
        if (looked == null) looked = Looked.nowhere();
    }

    public CollectedSet(CaBundle bundle, Map<String, List<String>> labels, List<Rejection> rejected) {
        this(bundle, labels, rejected, List.of(), null, Looked.nowhere());
    }
}
