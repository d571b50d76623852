package dev.vmtrust.vm;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the in-VM observe step saw: the stamp (bundle fingerprint hex) if any, the fp16 of every owned
 * {@code vmtrust-*} file, and the engines recorded in /etc/vmtrust/restart-pending.
 */
public record VmObservation(Optional<String> stamp, Set<String> files, List<String> pendingRestart) {
    public VmObservation {
        files = new TreeSet<>(files);
        pendingRestart = List.copyOf(pendingRestart);
    }
}
