package dev.vmtrust.cli;

/** Exit codes (DESIGN.md): when several apply, the first of 2, 4, 3 wins. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int UNEXPECTED = 1;
    public static final int USAGE = 2;
    public static final int TARGET_FAILED = 3;
    public static final int NO_CA = 4;

    private ExitCodes() {}

    /** A reconcile's exit code: 3 when any target or template failed. */
    static int of(dev.vmtrust.reconcile.Report report) {
        return report.anyFailed() ? TARGET_FAILED : OK;
    }
}
