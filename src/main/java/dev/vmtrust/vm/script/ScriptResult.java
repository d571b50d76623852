package dev.vmtrust.vm.script;

import java.util.List;
import java.util.Optional;

/**
 * What one run of the in-VM script said, parsed from its {@code vmtrust:} lines (see
 * {@link ScriptOutput} for the grammar). Lists keep the order of the lines.
 *
 * @param distro            {@code debian}, {@code alpine}, {@code rhel}, {@code suse} or {@code arch}
 * @param added             fp16 of files written that were missing
 * @param repaired          fp16 of files rewritten because their content differed
 * @param removed           fp16 of owned files removed (rotated out, or remove mode)
 * @param trustUpdated      the distro's trust update ran and succeeded
 * @param unchanged         nothing in the trust store was touched
 * @param stamp             observe: the stamp found ({@code none} = empty)
 * @param files             observe: fp16 of each owned certificate file present
 * @param differs           observe: fp16 of owned files whose content differs from the script's
 * @param engines           active engines ({@code docker}, {@code user:containerd}, ...), when probed
 * @param restarted         engines restarted by this run
 * @param restartFailed     engines whose restart failed (also recorded as pending)
 * @param pending           engines whose restart this run deferred (policy never or auto while busy)
 * @param manual            engines running outside any init the script knows (no systemd, OpenRC or
 *                          /etc/init.d script): not restarted, the user must
 * @param containersRunning the highest container count on the pending lines; -1 unknown; 0 when none
 * @param restartPendingRecorded the content of {@code /etc/vmtrust/restart-pending} after the run
 * @param done              the stamp after a completed run ({@code none} = no stamp)
 * @param error             the failure, if any
 * @param exitCode          the remote exit code
 * @param sudoPasswordRequired {@code sudo -n} refused because the VM asks for a password
 * @param containers        containers.inject in the VM: {@code on VERSION}, {@code none} (no docker),
 *                          {@code broken}, {@code no-python}, {@code blocked NAME} (another default runtime),
 *                          {@code kept} (a passthrough containers still use), {@code unused}; empty when
 *                          nothing of it is installed
 * @param containersChanged this run changed the containers part (files, daemon.json, drop-in)
 */
public record ScriptResult(
        Optional<String> distro,
        List<String> added,
        List<String> repaired,
        List<String> removed,
        boolean trustUpdated,
        boolean unchanged,
        Optional<String> stamp,
        List<String> files,
        List<String> differs,
        List<String> engines,
        List<String> restarted,
        List<String> restartFailed,
        List<String> pending,
        List<String> manual,
        int containersRunning,
        List<String> restartPendingRecorded,
        Optional<String> done,
        Optional<ScriptError> error,
        int exitCode,
        boolean sudoPasswordRequired,
        Optional<String> containers,
        boolean containersChanged) {

    public ScriptResult {
        added = List.copyOf(added);
        repaired = List.copyOf(repaired);
        removed = List.copyOf(removed);
        files = List.copyOf(files);
        differs = List.copyOf(differs);
        engines = List.copyOf(engines);
        restarted = List.copyOf(restarted);
        restartFailed = List.copyOf(restartFailed);
        pending = List.copyOf(pending);
        manual = List.copyOf(manual);
        restartPendingRecorded = List.copyOf(restartPendingRecorded);
    }

    /** The run completed: exit 0, a done line, no error. */
    public boolean ok() {
        return exitCode == 0 && error.isEmpty() && done.isPresent();
    }

    /** The trust store was changed by this run (files or the trust update). */
    public boolean storeChanged() {
        return trustUpdated || !added.isEmpty() || !repaired.isEmpty() || !removed.isEmpty();
    }
}
