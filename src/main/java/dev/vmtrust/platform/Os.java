package dev.vmtrust.platform;

/** The host operating system, chosen once in Main. */
public enum Os {
    MACOS, LINUX, OTHER;

    public static Os current() {
        String n = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (n.contains("mac")) return MACOS;
        if (n.contains("linux")) return LINUX;
        return OTHER;
    }
}
