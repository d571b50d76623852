package dev.vmtrust.vm.colima;

import java.util.Optional;

/**
 * Colima's profile name rules: {@code ""}, {@code default} and {@code colima} all mean the profile
 * {@code default}, Lima instance ID {@code colima}; any other name {@code X} (a leading {@code colima-}
 * stripped) is Lima instance {@code colima-X}. Profile dirs in COLIMA_HOME use the short name.
 */
public final class ColimaNames {
    private ColimaNames() {}

    /** The short profile name for any accepted spelling: {@code colima-work} -> {@code work}. */
    public static String shortName(String anySpelling) {
        String n = anySpelling.strip();
        if (n.startsWith("colima-")) n = n.substring("colima-".length());
        if (n.isEmpty() || n.equals("default") || n.equals("colima")) return "default";
        return n;
    }

    /** The Lima instance ID of a profile: {@code default} -> {@code colima}, {@code work} -> {@code colima-work}. */
    public static String instanceId(String anySpelling) {
        String s = shortName(anySpelling);
        return s.equals("default") ? "colima" : "colima-" + s;
    }

    /** The short name of a Lima instance dir that belongs to Colima, or empty for other dirs. */
    public static Optional<String> fromInstanceId(String dirName) {
        if (dirName.equals("colima")) return Optional.of("default");
        if (dirName.startsWith("colima-") && dirName.length() > "colima-".length()) {
            return Optional.of(shortName(dirName));
        }
        return Optional.empty();
    }

    /** True for the instance names Colima owns ({@code colima}, {@code colima-*}); Lima discovery skips them. */
    public static boolean isColimaInstance(String dirName) {
        return dirName.equals("colima") || dirName.startsWith("colima-");
    }
}
