package dev.vmtrust.vm;

import java.util.Locale;

/** What manages a VM: Colima (profile) or Lima (instance). {@link #word()} is the JSON/name spelling. */
public enum TargetKind {
    COLIMA,
    LIMA;

    /** {@code colima} or {@code lima}: the "kind" JSON value and the target name prefix. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
