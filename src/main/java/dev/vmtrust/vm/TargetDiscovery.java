package dev.vmtrust.vm;

import dev.vmtrust.config.Config;
import dev.vmtrust.vm.colima.ColimaDiscovery;
import dev.vmtrust.vm.lima.LimaDiscovery;
import java.nio.file.Path;

/**
 * All targets the config asks for: Colima profiles and Lima instances, each kind only when enabled.
 * Homes are resolved by the caller (config {@code home} > COLIMA_HOME / LIMA_HOME > defaults); the
 * home fields of {@code targets} are not read here. Re-run on every reconcile: it only lists dirs.
 */
public final class TargetDiscovery {
    private final Config.Targets targets;
    private final Path colimaHome;
    private final Path colimaLimaHome;
    private final Path limaHome;

    /**
     * @param colimaLimaHome Colima's Lima home ({@code LIMA_HOME} if set, else {@code COLIMA_HOME/_lima})
     * @param limaHome       Lima's home ({@code LIMA_HOME}, else {@code ~/.lima})
     */
    public TargetDiscovery(Config.Targets targets, Path colimaHome, Path colimaLimaHome, Path limaHome) {
        this.targets = targets;
        this.colimaHome = colimaHome;
        this.colimaLimaHome = colimaLimaHome;
        this.limaHome = limaHome;
    }

    /** Targets sorted by name, plus notes about skipped dirs and listed names that were not found. */
    public Discovery discover() {
        Discovery d = Discovery.empty();
        if (targets.colima().enabled()) {
            d = d.plus(new ColimaDiscovery(
                            colimaHome, colimaLimaHome, targets.colima().profiles())
                    .discover());
        }
        if (targets.lima().enabled()) {
            d = d.plus(new LimaDiscovery(limaHome, targets.lima().instances()).discover());
        }
        return d;
    }
}
