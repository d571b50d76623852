package dev.vmtrust.agent;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.Locations;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.source.CaCollector;
import dev.vmtrust.source.FileSource;
import dev.vmtrust.source.HostFamily;
import dev.vmtrust.source.HostSource;
import dev.vmtrust.source.KeychainSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the agent watches, computed from the config and the homes; no I/O besides {@link Locations}' own.
 *
 * <p>Folders, never files: keychains and certificate files are replaced by rename (a new inode), so a watch
 * on the file would go silent. Each {@link Root} is watched down to its {@code depth} only (see
 * {@link PlanVisitor}): VM folders hold disk images written all the time, and we never want to descend into
 * them. A source file directly in {@code $HOME} (or {@code /}) is polled instead: watching {@code $HOME}
 * means events for every dotfile write, and on macOS FSEvents cannot watch a folder non-recursively.
 *
 * @param roots             folders to watch; they may not exist yet (the watcher picks them up when they appear)
 * @param sourceFiles       certificate sources: keychains, configured files, allowlisted vendor files
 * @param trustSettingsDirs folders where any {@code .plist} is a source (macOS admin trust settings)
 * @param polledFiles       files whose mtime and size are polled instead of watched
 * @param targets           VM folder -> target name
 * @param sourceDirs        folders where any file (also in subfolders) is a source: a Linux host store's anchors
 *                          and blocklist folders, into which an admin copies a root
 */
public record WatchPlan(
        List<Root> roots,
        Set<Path> sourceFiles,
        Set<Path> trustSettingsDirs,
        Set<Path> polledFiles,
        TargetNames targets,
        Set<Path> sourceDirs) {
    public static final Path TRUST_SETTINGS = Path.of("/Library/Security/Trust Settings");

    /** A watched folder: {@code depth} 0 = its own entries; 1 = also those of its subfolders; and so on. */
    public record Root(Path dir, int depth) {
        public Root {
            dir = clean(dir);
        }
    }

    /** A plan without host store folders. */
    public WatchPlan(
            List<Root> roots,
            Set<Path> sourceFiles,
            Set<Path> trustSettingsDirs,
            Set<Path> polledFiles,
            TargetNames targets) {
        this(roots, sourceFiles, trustSettingsDirs, polledFiles, targets, Set.of());
    }

    public WatchPlan {
        sourceDirs = Set.copyOf(sourceDirs.stream().map(WatchPlan::clean).toList());
        roots = List.copyOf(roots);
        sourceFiles = Set.copyOf(sourceFiles.stream().map(WatchPlan::clean).toList());
        trustSettingsDirs =
                Set.copyOf(trustSettingsDirs.stream().map(WatchPlan::clean).toList());
        polledFiles = Set.copyOf(polledFiles.stream().map(WatchPlan::clean).toList());
    }

    /** The plan for {@code config}, with the source package's vendor allowlist for the environment's OS. */
    public static WatchPlan of(Config config, Environment env) {
        return of(config, env, FileSource.vendorPaths(env.os()));
    }

    /**
     * The plan for {@code config}. {@code vendorFiles} is the source package's allowlist of vendor files for
     * this OS (used when {@code sources.vendorFiles} is on).
     */
    public static WatchPlan of(Config config, Environment env, List<Path> vendorFiles) {
        Locations locations = new Locations(env);
        Path home = clean(env.home());
        Config.Sources sources = config.sources();
        boolean keychain = KeychainSource.enabled(sources.keychain());

        Set<Path> files = new LinkedHashSet<>();
        if (keychain) files.addAll(sources.keychain().keychains());
        files.addAll(sources.files());
        if (sources.vendorFiles()) files.addAll(vendorFiles);
        // the Linux host store (sources.host): its folders as on this host; /etc/os-release is read once here
        Set<Path> hostDirs = new LinkedHashSet<>();
        HostFamily family =
                HostSource.enabled(sources.host(), env.os()) ? HostFamily.detect(CaCollector.HOST_ROOT) : null;
        if (family != null && family != HostFamily.UNKNOWN) {
            for (String d : HostSource.watchFolders(family)) {
                if (d.equals("/etc")) files.add(Path.of(HostFamily.DEBIAN_CONF));
                else hostDirs.add(Path.of(d));
            }
        }

        Map<Path, Integer> roots = new LinkedHashMap<>();
        Set<Path> polled = new LinkedHashSet<>();
        for (Path f : files) {
            Path dir = clean(f).getParent();
            if (dir == null || tooBroad(dir, home)) polled.add(f);
            else roots.merge(dir, 0, Math::max);
        }
        int hostDepth = family != null && family.subfolders() ? 3 : 0;
        for (Path d : hostDirs) roots.merge(clean(d), hostDepth, Math::max);
        Set<Path> trustSettings = keychain && env.os().keychainHost() ? Set.of(TRUST_SETTINGS) : Set.of();
        trustSettings.forEach(d -> roots.merge(d, 0, Math::max));

        Config.Colima colima = config.targets().colima();
        Config.Lima lima = config.targets().lima();
        Path colimaHome = colima.enabled() ? clean(locations.colimaHome(config)) : null;
        Path colimaLimaHome = colima.enabled() ? clean(locations.colimaLimaHome(config)) : null;
        Path limaHome = lima.enabled() ? clean(locations.limaHome(config)) : null;
        // depth 1: <home>/<profile or instance>/<file>; a VM home that is $HOME or / is left to the resync
        for (Path vmHome : new Path[] {colimaHome, colimaLimaHome, limaHome}) {
            if (vmHome != null && !tooBroad(vmHome, home)) roots.merge(vmHome, 1, Math::max);
        }
        List<Root> rootList = new ArrayList<>();
        roots.forEach((dir, depth) -> rootList.add(new Root(dir, depth)));
        return new WatchPlan(
                rootList,
                files,
                trustSettings,
                polled,
                new TargetNames(
                        colimaHome,
                        colimaLimaHome,
                        limaHome,
                        Set.copyOf(colima.profiles()),
                        Set.copyOf(lima.instances())),
                hostDirs);
    }

    /** This plan plus one more source file (the agent's own config file: editing it reloads the agent). */
    public WatchPlan withSourceFile(Path file, Path home) {
        Path f = clean(file);
        Set<Path> files = new LinkedHashSet<>(sourceFiles);
        files.add(f);
        List<Root> rootList = new ArrayList<>(roots);
        Set<Path> polled = new LinkedHashSet<>(polledFiles);
        Path dir = f.getParent();
        if (dir == null || tooBroad(dir, clean(home))) polled.add(f);
        else if (roots.stream().noneMatch(r -> r.dir().equals(dir))) rootList.add(new Root(dir, 0));
        return new WatchPlan(rootList, files, trustSettingsDirs, polled, targets, sourceDirs);
    }

    /** True when the walk should enter {@code dir}: inside a root's depth, or on the way from one root to another. */
    public boolean covers(Path dir) {
        Path d = clean(dir);
        if (watches(d)) return true;
        boolean underRoot = roots.stream().anyMatch(r -> d.startsWith(r.dir()));
        return underRoot
                && roots.stream()
                        .anyMatch(r -> r.dir().startsWith(d) && !r.dir().equals(d));
    }

    /** True when files directly in {@code dir} are watched: {@code dir} is a root or within a root's depth. */
    public boolean watches(Path dir) {
        Path d = clean(dir);
        return roots.stream()
                .anyMatch(
                        r -> d.startsWith(r.dir()) && d.getNameCount() - r.dir().getNameCount() <= r.depth());
    }

    static Path clean(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize();
    }

    private static boolean tooBroad(Path dir, Path home) {
        return dir.equals(home) || dir.getParent() == null;
    }
}
