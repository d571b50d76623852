package dev.vmtrust.vm.provision;

import dev.vmtrust.platform.BoundedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provision YAMLs this process wrote, by the SHA-256 of what it wrote, so the agent does not take its own
 * edit of a colima.yaml or lima.yaml for a user's change and run a second, no-change round. The expectation is
 * recorded before the rename, so the file event can never arrive first. A file counts as ours only while its
 * content is byte for byte what vmtrust wrote: any later edit by the user or Colima is a change again. One entry
 * per file (the last write); the agent watches at most a few dozen.
 */
public final class OwnWrites {
    private static final ConcurrentHashMap<Path, byte[]> WRITTEN = new ConcurrentHashMap<>();

    private OwnWrites() {}

    /** {@code file} is about to hold exactly {@code content}, written by vmtrust. */
    static void expect(Path file, byte[] content) {
        WRITTEN.put(file.toAbsolutePath().normalize(), sha256(content));
    }

    /** True when {@code file} now holds exactly what vmtrust last wrote to it. Never throws. */
    public static boolean isOurs(Path file) {
        byte[] expected = WRITTEN.get(file.toAbsolutePath().normalize());
        if (expected == null) return false;
        try {
            return Arrays.equals(
                    expected, sha256(BoundedFiles.readBytes(file, BoundedFiles.PROVISION_YAML, "a provision YAML")));
        } catch (IOException | RuntimeException e) { // gone, refused or unreadable: let the round look at it
            return false;
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
