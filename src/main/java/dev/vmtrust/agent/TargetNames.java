package dev.vmtrust.agent;

import dev.vmtrust.vm.colima.ColimaNames;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Maps VM folders to target names, with the same rules as target discovery ({@link ColimaNames},
 * {@code LimaDiscovery}):
 * <ul>
 *   <li>{@code <colimaLimaHome>/colima} -> {@code colima/default}; {@code <colimaLimaHome>/colima-X} -> {@code colima/X};</li>
 *   <li>{@code <colimaHome>/X} -> {@code colima/X} (profile folders use the short name; {@code _lima},
 *       {@code _templates} and other {@code _} or hidden folders are not profiles);</li>
 *   <li>{@code <limaHome>/NAME} -> {@code lima/NAME}, except {@code _}/hidden folders and Colima's own
 *       {@code colima}, {@code colima-*}.</li>
 * </ul>
 * A {@code null} home means that kind of target is disabled. Non-empty {@code colimaProfiles} /
 * {@code limaInstances} limit the names, as the config's lists do (empty = all).
 */
public record TargetNames(
        Path colimaHome, Path colimaLimaHome, Path limaHome, Set<String> colimaProfiles, Set<String> limaInstances) {
    public TargetNames {
        colimaHome = WatchPlan.clean(colimaHome);
        colimaLimaHome = WatchPlan.clean(colimaLimaHome);
        limaHome = WatchPlan.clean(limaHome);
        colimaProfiles = colimaProfiles.stream().map(ColimaNames::shortName).collect(Collectors.toUnmodifiableSet());
        limaInstances = limaInstances.stream().map(String::strip).collect(Collectors.toUnmodifiableSet());
    }

    /** The target whose Lima instance folder is {@code dir} (where lima.yaml, ssh.config, ha.pid live). */
    public Optional<String> ofInstanceDir(Path dir) {
        Path d = WatchPlan.clean(dir);
        Path parent = d.getParent();
        if (parent == null) return Optional.empty();
        String name = d.getFileName().toString();
        if (colimaLimaHome != null && colimaLimaHome.equals(parent)) {
            Optional<String> profile = ColimaNames.fromInstanceId(name);
            if (profile.isPresent()) return colima(profile.get());
        }
        if (limaHome != null && limaHome.equals(parent) && !hidden(name) && !ColimaNames.isColimaInstance(name)) {
            return limaInstances.isEmpty() || limaInstances.contains(name)
                    ? Optional.of("lima/" + name)
                    : Optional.empty();
        }
        return Optional.empty();
    }

    /** The target whose Colima profile folder (holding the user's colima.yaml) is {@code dir}. */
    public Optional<String> ofProfileDir(Path dir) {
        Path d = WatchPlan.clean(dir);
        if (colimaHome == null || !colimaHome.equals(d.getParent())) return Optional.empty();
        String name = d.getFileName().toString();
        return hidden(name) ? Optional.empty() : colima(ColimaNames.shortName(name));
    }

    private Optional<String> colima(String profile) {
        return colimaProfiles.isEmpty() || colimaProfiles.contains(profile)
                ? Optional.of("colima/" + profile)
                : Optional.empty();
    }

    private static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }
}
