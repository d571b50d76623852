package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Who owns a file and whether its owner may write it, for the checks before vmtrust replaces or uses a file
 * (SECURITY.md "What vmtrust writes"). Where the JDK exposes no uid (not Linux or macOS), the owner checks are
 * skipped: the answer is "ours".
 */
public final class Ownership {
    private Ownership() {}

    /** The uid this process runs as, when known. */
    public static OptionalLong currentUid() {
        try {
            return OptionalLong.of(new com.sun.security.auth.module.UnixSystem().getUid());
        } catch (LinkageError | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The owner's uid of {@code p} (links followed unless {@code options} say otherwise), when known. */
    public static OptionalLong uidOf(Path p, LinkOption... options) throws IOException {
        try {
            return OptionalLong.of(((Number) Files.getAttribute(p, "unix:uid", options)).longValue());
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /** True unless both uids are known and differ. */
    public static boolean ownedByMe(Path p, LinkOption... options) throws IOException {
        OptionalLong mine = currentUid();
        OptionalLong owner = uidOf(p, options);
        return mine.isEmpty() || owner.isEmpty() || mine.getAsLong() == owner.getAsLong();
    }

    /** The owner's name of {@code p}, for messages. */
    public static String ownerName(Path p) {
        try {
            return Files.getOwner(p).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "another user";
        }
    }

    /** The POSIX permissions of {@code p}, or null on file systems without them. */
    public static Set<PosixFilePermission> modeOf(Path p, LinkOption... options) throws IOException {
        try {
            return Files.getPosixFilePermissions(p, options);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
