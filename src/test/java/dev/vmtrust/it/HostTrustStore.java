package dev.vmtrust.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A fingerprint of the host's own trust store, so tests can assert they never changed it. */
public record HostTrustStore(TreeMap<String, String> entries) {
    private static final Path[] ROOTS = {Path.of("/etc/ssl/certs"), Path.of("/usr/local/share/ca-certificates")};

    public static HostTrustStore snapshot() {
        TreeMap<String, String> m = new TreeMap<>();
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> s = Files.walk(root)) {
                s.forEach(p -> m.put(p.toString(), describe(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new HostTrustStore(m);
    }

    private static String describe(Path p) {
        try {
            if (Files.isSymbolicLink(p)) return "-> " + Files.readSymbolicLink(p);
            if (Files.isDirectory(p)) return "dir";
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
