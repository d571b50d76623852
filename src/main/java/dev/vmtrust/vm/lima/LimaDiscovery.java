package dev.vmtrust.vm.lima;

import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.TargetKind;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.colima.ColimaNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds Lima instances from the filesystem only (never runs {@code limactl}): every dir
 * {@code LIMA_HOME/<name>} with a {@code lima.yaml}. Skipped: {@code _}-dirs ({@code _config}...),
 * hidden dirs, and instances named {@code colima} or {@code colima-*} (Colima's own, found when
 * LIMA_HOME is shared with Colima). A dir without lima.yaml is skipped with a note. {@code instances}
 * empty = all, else only those listed. A missing home yields no targets.
 */
public final class LimaDiscovery {
    private final Path limaHome;
    private final List<String> instances;

    public LimaDiscovery(Path limaHome, List<String> instances) {
        this.limaHome = limaHome;
        this.instances = List.copyOf(instances);
    }

    public Discovery discover() {
        Set<String> wanted = new TreeSet<>();
        instances.forEach(i -> wanted.add(i.strip()));
        List<TargetRef> targets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path dir : subdirs(limaHome)) {
            String name = dir.getFileName().toString();
            if (name.startsWith("_") || name.startsWith(".") || ColimaNames.isColimaInstance(name)) continue;
            if (!wanted.isEmpty() && !wanted.contains(name)) continue;
            seen.add(name);
            Path yaml = dir.resolve("lima.yaml");
            if (!Files.isRegularFile(yaml)) {
                notes.add("lima: " + dir + " has no lima.yaml; skipped (not an instance, or a broken one)");
                continue;
            }
            targets.add(TargetRef.of(TargetKind.LIMA, name, dir, yaml));
        }
        for (String w : wanted) {
            if (ColimaNames.isColimaInstance(w)) {
                notes.add("lima instance \"" + w + "\" in targets.lima.instances belongs to Colima; list it under"
                        + " targets.colima.profiles instead");
            } else if (!seen.contains(w)) {
                notes.add("lima instance \"" + w + "\" is listed in targets.lima.instances but " + limaHome
                        + " has no such instance");
            }
        }
        return new Discovery(targets, notes);
    }

    private static List<Path> subdirs(Path home) {
        if (home == null || !Files.isDirectory(home)) return List.of();
        try (Stream<Path> s = Files.list(home)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
