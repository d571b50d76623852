package dev.vmtrust.vm.colima;

import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.TargetKind;
import dev.vmtrust.vm.TargetRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds Colima profiles from the filesystem only (never runs {@code colima}).
 *
 * <p>A profile exists when {@code COLIMA_HOME/<short>/colima.yaml} exists (dirs starting with {@code _}
 * are Colima's own) or when its instance dir {@code COLIMA_LIMA_HOME/colima} or
 * {@code COLIMA_LIMA_HOME/colima-<short>} exists (a running instance without a profile dir still
 * counts). {@code profiles} empty = all, else only those listed, in any spelling Colima accepts
 * ({@code default}, {@code colima}, {@code work}, {@code colima-work}). Missing homes yield no targets.
 */
public final class ColimaDiscovery {
    private final Path colimaHome;
    private final Path colimaLimaHome;
    private final List<String> profiles;

    /** {@code colimaLimaHome} is Colima's Lima home: {@code LIMA_HOME} if set, else {@code COLIMA_HOME/_lima}. */
    public ColimaDiscovery(Path colimaHome, Path colimaLimaHome, List<String> profiles) {
        this.colimaHome = colimaHome;
        this.colimaLimaHome = colimaLimaHome;
        this.profiles = List.copyOf(profiles);
    }

    public Discovery discover() {
        Set<String> found = new TreeSet<>();
        Map<String, Path> profileDirs = new TreeMap<>();
        for (Path dir : subdirs(colimaHome)) {
            String name = dir.getFileName().toString();
            if (name.startsWith("_") || name.startsWith(".")) continue;
            if (!Files.isRegularFile(dir.resolve("colima.yaml"))) continue;
            String shortName = ColimaNames.shortName(name);
            found.add(shortName);
            // the dir named exactly like the short name wins over alias spellings (colima, colima-work)
            if (name.equals(shortName) || !profileDirs.containsKey(shortName)) profileDirs.put(shortName, dir);
        }
        for (Path dir : subdirs(colimaLimaHome)) {
            ColimaNames.fromInstanceId(dir.getFileName().toString()).ifPresent(found::add);
        }
        Set<String> wanted = new TreeSet<>();
        profiles.forEach(p -> wanted.add(ColimaNames.shortName(p)));
        Map<String, TargetRef> targets = new TreeMap<>();
        for (String shortName : found) {
            if (!wanted.isEmpty() && !wanted.contains(shortName)) continue;
            Path profileDir = profileDirs.getOrDefault(shortName, colimaHome.resolve(shortName));
            targets.put(
                    shortName,
                    TargetRef.of(
                            TargetKind.COLIMA,
                            shortName,
                            colimaLimaHome.resolve(ColimaNames.instanceId(shortName)),
                            profileDir.resolve("colima.yaml")));
        }
        List<String> notes = new ArrayList<>();
        for (String w : wanted) {
            if (!targets.containsKey(w)) {
                notes.add("colima profile \"" + w + "\" is listed in targets.colima.profiles but was not found in "
                        + colimaHome + " or " + colimaLimaHome);
            }
        }
        return new Discovery(List.copyOf(targets.values()), notes);
    }

    /** Sub-directories of {@code home}, sorted; none when it is missing or unreadable. */
    static List<Path> subdirs(Path home) {
        if (home == null || !Files.isDirectory(home)) return List.of();
        try (Stream<Path> s = Files.list(home)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
