package dev.vmtrust.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The platform object: the host operating system, chosen once in Main ({@link Environment#system()}), and
 * every fact that differs between macOS and Linux, so that other classes ask for a fact ("does this host
 * have a Keychain?", "where is the state folder?") instead of asking which OS they run on. Implementations
 * that differ per OS (launchd or systemd, osascript or notify-send, Apple's or the distro's public roots) are
 * picked by {@link #serviceManager()}, {@link #desktop()} and the keychain/host-store facts below.
 */
public enum Os {
    MACOS(
            ServiceKind.LAUNCHD,
            Desktop.OSASCRIPT,
            true,
            false,
            List.of(
                    "/Library/Application Support/Netskope/STAgent/data/nscacert_combined.pem",
                    "/Library/Application Support/Netskope/STAgent/data/nscacert.pem")),
    LINUX(
            ServiceKind.SYSTEMD_USER,
            Desktop.NOTIFY_SEND,
            false,
            true,
            List.of("/opt/netskope/stagent/data/nscacert.pem")),
    OTHER(ServiceKind.NONE, Desktop.NONE, false, false, List.of());

    /** How the agent is installed as a service. */
    public enum ServiceKind {
        LAUNCHD,
        SYSTEMD_USER,
        NONE
    }

    /** How a desktop notification is shown. */
    public enum Desktop {
        OSASCRIPT,
        NOTIFY_SEND,
        NONE
    }

    private final ServiceKind serviceManager;
    private final Desktop desktop;
    private final boolean keychainHost;
    private final boolean hostStore;
    private final List<Path> vendorFiles;

    Os(ServiceKind serviceManager, Desktop desktop, boolean keychainHost, boolean hostStore, List<String> vendorFiles) {
        this.serviceManager = serviceManager;
        this.desktop = desktop;
        this.keychainHost = keychainHost;
        this.hostStore = hostStore;
        this.vendorFiles = vendorFiles.stream().map(Path::of).toList();
    }

    public static Os current() {
        String n = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (n.contains("mac")) return MACOS;
        if (n.contains("linux")) return LINUX;
        return OTHER;
    }

    public ServiceKind serviceManager() {
        return serviceManager;
    }

    public Desktop desktop() {
        return desktop;
    }

    /**
     * macOS: the Keychain is where the host's trust lives (a missing {@code security} is a problem, trust may
     * arrive after the keychain write, {@code /Library/Security/Trust Settings} exists, osascript's
     * notifications need Script Editor's permission).
     */
    public boolean keychainHost() {
        return keychainHost;
    }

    /** Linux: the host's own trust store holds locally added anchors ({@code sources.host: auto} reads them). */
    public boolean hostStore() {
        return hostStore;
    }

    /** The allowlisted proxy vendor files (Netskope) at their documented paths on this OS. */
    public List<Path> vendorFiles() {
        return vendorFiles;
    }

    /** The folder under which {@code vmtrust} keeps its state when {@code XDG_STATE_HOME} is not set. */
    public Path stateBase(Path home) {
        return this == MACOS ? home.resolve("Library/Application Support") : home.resolve(".local/state");
    }

    /** Where the agent writes its log file; empty where it logs to stdout (the journal under systemd). */
    public Optional<Path> logDir(Path home) {
        return this == MACOS ? Optional.of(home.resolve("Library/Logs/vmtrust")) : Optional.empty();
    }
}
