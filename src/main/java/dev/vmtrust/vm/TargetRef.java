package dev.vmtrust.vm;

import dev.vmtrust.ssh.VmHints;
import java.nio.file.Path;

/**
 * One discovered target, by paths only (nothing here is read at construction).
 *
 * @param name        {@code colima/<profile>} (short profile name, {@code default} for the default
 *                    profile) or {@code lima/<instance>}
 * @param kind        Colima or Lima
 * @param instanceDir the Lima instance dir: {@code COLIMA_LIMA_HOME/colima[-X]} or {@code LIMA_HOME/<name>}
 * @param configFile  the file that gets vmtrust's provision entry: {@code COLIMA_HOME/<profile>/colima.yaml}
 *                    (may not exist yet when only the instance dir was found) or {@code LIMA_HOME/<name>/lima.yaml}
 * @param sshConfig   {@code instanceDir/ssh.config}, rewritten by Lima on every start
 * @param haPid       {@code instanceDir/ha.pid}, present while the host agent runs
 */
public record TargetRef(String name, TargetKind kind, Path instanceDir, Path configFile, Path sshConfig, Path haPid) {

    /** A ref whose ssh.config and ha.pid sit in {@code instanceDir}, as Lima lays them out. */
    public static TargetRef of(TargetKind kind, String shortName, Path instanceDir, Path configFile) {
        return new TargetRef(
                kind.word() + "/" + shortName,
                kind,
                instanceDir,
                configFile,
                instanceDir.resolve("ssh.config"),
                instanceDir.resolve("ha.pid"));
    }

    /** The profile ({@code default}, {@code work}) or instance name, without the kind prefix. */
    public String shortName() {
        return name.substring(name.indexOf('/') + 1);
    }

    /** {@code colima start work} / {@code limactl start dev}. */
    public String startHint() {
        return VmHints.start(name);
    }

    /** {@code colima restart work} / {@code limactl stop dev && limactl start dev}. */
    public String restartHint() {
        return VmHints.restart(name);
    }
}
