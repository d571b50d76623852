package dev.vmtrust.source;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What "no CA found" says: where the enabled sources looked, and the usual fixes for this OS: on macOS
 * trusting the root in the System keychain, on a Linux host copying it into the family's anchors folder
 * and running its refresh tool; everywhere, listing the file under {@code sources.files}.
 */
final class NoCaAdvice {
    private NoCaAdvice() {}

    /** {@code family}: the host store's layout when the host source is on, else null. */
    static CollectedSet.Looked of(Config config, Os os, HostFamily family) {
        Config.Sources s = config.sources();
        List<String> places = new ArrayList<>();
        if (s.keychain() != null && KeychainSource.enabled(s.keychain())) {
            places.add("keychains " + join(s.keychain().keychains())
                    + (s.keychain().trustedOnly() ? " (trusted CAs only)" : ""));
        }
        if (!s.files().isEmpty()) places.add("sources.files " + join(s.files()));
        if (s.vendorFiles()) {
            List<Path> vendor = FileSource.vendorPaths(os);
            if (!vendor.isEmpty()) places.add("vendor files " + join(vendor));
        }
        if (family != null) {
            places.add("the host store"
                    + (family == HostFamily.UNKNOWN
                            ? " (no known layout)"
                            : " (" + family.displayName() + ") " + String.join(", ", HostSource.places(family))));
        }
        String file = "or list its file under sources.files in " + config.file();
        String next = os.keychainHost()
                ? (s.keychain() != null && KeychainSource.enabled(s.keychain())
                        ? "add your proxy's root CA to the System keychain and trust it: sudo security add-trusted-cert -d"
                                + " -r trustRoot -k /Library/Keychains/System.keychain corp-root.crt; " + file
                        : "turn the keychain on (sources.keychain.enabled: auto), " + file)
                : !os.hostStore()
                        ? file.substring(3)
                        : family == null
                                ? "turn the host store on (sources.host: auto), " + file
                                : family == HostFamily.UNKNOWN
                                        ? file.substring(3)
                                        : "install your proxy's root CA the " + family.displayName() + " way: "
                                                + family.installCommand() + "; " + file;
        return new CollectedSet.Looked(places, next);
    }

    private static String join(List<Path> paths) {
        return String.join(", ", paths.stream().map(Path::toString).toList());
    }
}
