package dev.vmtrust.agent;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a file event matters. The watched folders are busy (SQLite {@code -wal}/{@code -shm}
 * files next to keychains; VM disks, sockets and logs next to {@code ha.pid}), so only these count:
 * <ul>
 *   <li>a certificate source ({@link WatchPlan#sourceFiles()}), or a {@code .plist} in a trust settings folder, or
 *       any file not starting with a dot in (or below) a host store folder ({@link WatchPlan#sourceDirs()});</li>
 *   <li>in a Lima instance folder: {@code lima.yaml}, {@code colima.yaml}, {@code ssh.config}, {@code ha.pid};</li>
 *   <li>in a Colima profile folder: {@code colima.yaml}.</li>
 * </ul>
 * {@code ha.pid} or {@code ssh.config} created or changed means the VM is starting ({@link Kind#VM_START});
 * Lima writes both on every start. Their deletion (VM stopped) is a plain {@link Kind#VM_FILE} change.
 */
public final class EventFilter {
    public enum Kind {
        SOURCE,
        VM_FILE,
        VM_START
    }

    /** A relevant change; {@code target} is null for sources. */
    public record Change(Path path, Kind kind, String target) {}

    static final Set<String> INSTANCE_FILES = Set.of("lima.yaml", "colima.yaml", "ssh.config", "ha.pid");
    static final Set<String> START_FILES = Set.of("ssh.config", "ha.pid");
    static final String PROFILE_FILE = "colima.yaml";

    private final WatchPlan plan;

    public EventFilter(WatchPlan plan) {
        this.plan = plan;
    }

    /** The change {@code path} stands for, or empty when it does not matter. */
    public Optional<Change> classify(Path path, boolean deleted) {
        Path p = WatchPlan.clean(path);
        Path dir = p.getParent();
        if (dir == null) return Optional.empty();
        String name = p.getFileName().toString();
        if (plan.sourceFiles().contains(p)
                || (plan.trustSettingsDirs().contains(dir) && name.endsWith(".plist"))
                || (!name.startsWith(".") && plan.sourceDirs().stream().anyMatch(dir::startsWith))) {
            return Optional.of(new Change(p, Kind.SOURCE, null));
        }
        if (INSTANCE_FILES.contains(name)) {
            Optional<String> target = plan.targets().ofInstanceDir(dir);
            if (target.isPresent()) {
                Kind kind = START_FILES.contains(name) && !deleted ? Kind.VM_START : Kind.VM_FILE;
                return Optional.of(new Change(p, kind, target.get()));
            }
        }
        if (name.equals(PROFILE_FILE)) {
            return plan.targets().ofProfileDir(dir).map(t -> new Change(p, Kind.VM_FILE, t));
        }
        return Optional.empty();
    }
}
