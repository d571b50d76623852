package dev.vmtrust.ssh;

/**
 * The next-step commands shown in messages, derived from a target name: {@code colima/<profile>} or
 * {@code lima/<instance>}. Lives in {@code ssh} (not {@code target}) because dependencies point from
 * target to ssh; {@code TargetRef} delegates here.
 */
public final class VmHints {
    private VmHints() {}

    /** {@code colima start work}, {@code limactl start dev}. */
    public static String start(String targetName) {
        String n = shortName(targetName);
        if (targetName.startsWith("colima/")) return "colima start " + n;
        if (targetName.startsWith("lima/")) return "limactl start " + n;
        return "start the VM " + targetName;
    }

    /** {@code colima restart work}, {@code limactl stop dev && limactl start dev}. */
    public static String restart(String targetName) {
        String n = shortName(targetName);
        if (targetName.startsWith("colima/")) return "colima restart " + n;
        if (targetName.startsWith("lima/")) return "limactl stop " + n + " && limactl start " + n;
        return "restart the VM " + targetName;
    }

    private static String shortName(String targetName) {
        int slash = targetName.indexOf('/');
        return slash < 0 ? targetName : targetName.substring(slash + 1);
    }
}
