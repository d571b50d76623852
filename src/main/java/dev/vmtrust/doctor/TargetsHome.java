package dev.vmtrust.doctor;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.Locations;
import dev.vmtrust.vm.Discovery;
import dev.vmtrust.vm.TargetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code homes} check: where Colima and Lima live, how many targets each has; discovery notes as warnings. */
final class TargetsHome {
    private TargetsHome() {}

    static List<Check> homes(Config config, Locations loc, Discovery d) {
        List<String> parts = new ArrayList<>();
        if (config.targets().colima().enabled()) {
            Path home = loc.colimaHome(config);
            parts.add("colima " + home + describe(home, count(d, TargetKind.COLIMA), "profile"));
        } else {
            parts.add("colima off");
        }
        if (config.targets().lima().enabled()) {
            Path home = loc.limaHome(config);
            parts.add("lima " + home + describe(home, count(d, TargetKind.LIMA), "instance"));
        } else {
            parts.add("lima off");
        }
        List<Check> out = new ArrayList<>();
        if (d.targets().isEmpty()) {
            out.add(Check.warn(
                    "homes",
                    null,
                    "no Colima profile or Lima instance found (" + String.join("; ", parts) + ")",
                    "start one (colima start, limactl start), or set targets.colima.home / targets.lima.home"));
        } else {
            out.add(Check.ok("homes", null, String.join("; ", parts)));
        }
        for (String note : d.notes()) out.add(Check.warn("homes", null, note, null));
        return out;
    }

    private static long count(Discovery d, TargetKind kind) {
        return d.targets().stream().filter(t -> t.kind() == kind).count();
    }

    private static String describe(Path home, long n, String word) {
        if (!Files.isDirectory(home)) return " (not found)";
        return " (" + n + " " + word + (n == 1 ? "" : "s") + ")";
    }
}
