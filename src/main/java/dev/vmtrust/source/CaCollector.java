package dev.vmtrust.source;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Os;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Computes the desired CA set from scratch: runs the sources in their fixed order (keychain, files,
 * vendor, host), merges CAs by fingerprint keeping every source label, drops public CAs (when a public root
 * set is given) and applies include/exclude. Rejections come in that order too: source rejections, then
 * public ones, then selection ones (the latter two sorted by fingerprint, one per source label).
 * A source's routine skips stay out of the rejections ({@link CollectedSet#skipped()}).
 */
public final class CaCollector {
    private final List<TrustSource> sources;
    private final Supplier<PublicRoots.Loaded> publicRoots;
    private final Selection selection;
    private final CollectedSet.Looked looked;

    /** {@code publicRoots}: null when {@code excludePublic} is off. */
    public CaCollector(List<TrustSource> sources, Supplier<PublicRoots.Loaded> publicRoots, Selection selection) {
        this(sources, publicRoots, selection, CollectedSet.Looked.nowhere());
    }

    /** {@code looked}: where the sources look and the next step, for "no CA found". */
    public CaCollector(
            List<TrustSource> sources,
            Supplier<PublicRoots.Loaded> publicRoots,
            Selection selection,
            CollectedSet.Looked looked) {
        this.sources = List.copyOf(sources);
        this.publicRoots = publicRoots;
        this.selection = selection;
        this.looked = looked;
    }

    /** The host root of production: every host store path is read as it is. */
    public static final Path HOST_ROOT = Path.of("/");

    /** The real wiring from config; {@code os} picks the vendor files and the public root set. */
    public static CaCollector fromConfig(Config config, Os os, CommandRunner runner, Clock clock) {
        return fromConfig(config, os, runner, clock, publicRoots(config, os, runner, clock));
    }

    /** The public root set of {@code config}, loaded on the first call only (callers reuse it for bundle.pem). */
    public static Supplier<PublicRoots.Loaded> publicRoots(Config config, Os os, CommandRunner runner, Clock clock) {
        return publicRoots(config, os, runner, clock, HOST_ROOT);
    }

    /** As above with the host's paths under {@code root} (tests). */
    public static Supplier<PublicRoots.Loaded> publicRoots(
            Config config, Os os, CommandRunner runner, Clock clock, Path root) {
        Config.Sources s = config.sources();
        Path security = s.keychain() == null
                ? Path.of("/usr/bin/security")
                : s.keychain().command();
        PublicRoots pr = new PublicRoots(os, security, runner, new CertFiles(), clock, root);
        return new Supplier<>() {
            private PublicRoots.Loaded loaded;

            @Override
            public synchronized PublicRoots.Loaded get() {
                if (loaded == null) loaded = pr.load(s.publicRoots());
                return loaded;
            }
        };
    }

    /** As above with a given public root set (used only when {@code excludePublic} is on). */
    public static CaCollector fromConfig(
            Config config, Os os, CommandRunner runner, Clock clock, Supplier<PublicRoots.Loaded> publicRoots) {
        return fromConfig(config, os, runner, clock, publicRoots, HOST_ROOT);
    }

    /** As above with the host store read under {@code root} (tests; production {@link #HOST_ROOT}). */
    public static CaCollector fromConfig(
            Config config,
            Os os,
            CommandRunner runner,
            Clock clock,
            Supplier<PublicRoots.Loaded> publicRoots,
            Path root) {
        Config.Sources s = config.sources();
        CertFiles files = new CertFiles();
        List<TrustSource> list = new ArrayList<>();
        if (s.keychain() != null && KeychainSource.enabled(s.keychain()))
            list.add(new KeychainSource(s.keychain(), runner, clock));
        if (!s.files().isEmpty()) list.add(FileSource.files(s.files(), files, clock));
        if (s.vendorFiles()) list.add(FileSource.vendor(FileSource.vendorPaths(os), files, clock));
        HostFamily family = null;
        if (HostSource.enabled(s.host(), os)) {
            HostSource host = new HostSource(root, files, clock);
            family = host.family();
            list.add(host);
        }
        return new CaCollector(
                list,
                s.excludePublic() ? publicRoots : null,
                new Selection(config.include(), config.exclude()),
                NoCaAdvice.of(config, os, family));
    }

    public CollectedSet collect() {
        Map<String, CaCert> byFp = new LinkedHashMap<>();
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        List<Rejection> rejected = new ArrayList<>();
        List<Rejection> skipped = new ArrayList<>();
        for (TrustSource source : sources) {
            Screened<SourcedCa> r;
            try {
                r = source.read();
            } catch (RuntimeException e) { // a source bug must not hide the other sources
                rejected.add(new Rejection(source.name(), "failed unexpectedly: " + e));
                continue;
            }
            for (SourcedCa f : r.accepted()) {
                byFp.putIfAbsent(f.cert().sha256(), f.cert());
                labels.computeIfAbsent(f.cert().sha256(), k -> new LinkedHashSet<>())
                        .add(f.source());
            }
            rejected.addAll(r.rejected());
            skipped.addAll(r.skipped());
        }
        TreeMap<String, CaCert> kept = new TreeMap<>(byFp);
        PublicRoots.Reference reference = null;
        if (publicRoots != null) {
            PublicRoots.Loaded loaded = publicRoots.get();
            reference = loaded.reference();
            rejected.addAll(loaded.problems());
            PublicFilter filter = new PublicFilter(loaded.roots(), reference.byChain());
            List<CaCert> all = List.copyOf(byFp.values());
            drop(kept, labels, rejected, c -> filter.reason(c, all));
        }
        drop(kept, labels, rejected, selection::dropReason);
        Map<String, List<String>> keptLabels = new TreeMap<>();
        for (String fp : kept.keySet()) keptLabels.put(fp, List.copyOf(labels.get(fp)));
        return new CollectedSet(CaBundle.of(kept.values()), keptLabels, rejected, skipped, reference, looked);
    }

    private interface Rule {
        Optional<String> reason(CaCert c);
    }

    /** Removes every CA the rule names, with one rejection per source label: {@code "<subject>": <reason>}. */
    private static void drop(
            TreeMap<String, CaCert> kept, Map<String, Set<String>> labels, List<Rejection> rejected, Rule rule) {
        for (CaCert c : List.copyOf(kept.values())) {
            Optional<String> why = rule.reason(c);
            if (why.isEmpty()) continue;
            kept.remove(c.sha256());
            for (String label : labels.get(c.sha256())) {
                rejected.add(new Rejection(label, "\"" + c.subject() + "\": " + why.get()));
            }
        }
    }
}
