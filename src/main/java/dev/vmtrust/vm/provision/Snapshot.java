package dev.vmtrust.vm.provision;

import dev.vmtrust.platform.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;

/**
 * What an edit is based on: a user's file as read while nobody wrote it (DESIGN convention 12). Colima saves
 * colima.yaml with Go's os.WriteFile (truncate, then write), as some editors do, so a read may see an empty
 * or half-written file; renaming an edit of that over the file would throw the other program's content onto
 * an orphaned inode. A read is therefore taken only when the file's stamp (size, mtime, inode) has been
 * quiet for {@link Quiet#interval()} (measured from its mtime) and is the same before and after the read.
 * {@link #stillThere} repeats the check right before the rename.
 */
record Snapshot(byte[] bytes, Stamp stamp) {
    /** Size, modification time and file key (device + inode): any write by anyone changes one of them. */
    record Stamp(long size, FileTime mtime, Object fileKey) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        }
    }

    /**
     * How long a file must have been left alone before vmtrust edits it, and how long vmtrust waits for that
     * before it gives up with "busy". An mtime further in the future than {@link #SKEW} is a clock problem,
     * not a writer, and counts as quiet.
     */
    record Quiet(Duration interval, Duration maxWait) {
        static final Quiet DEFAULT = new Quiet(Duration.ofMillis(250), Duration.ofSeconds(2));
        static final Duration SKEW = Duration.ofMinutes(1);

        /** True when {@code mtime} is less than {@link #interval} ago. */
        boolean fresh(FileTime mtime) {
            long age = System.currentTimeMillis() - mtime.toMillis();
            return age < interval.toMillis() && age > -SKEW.toMillis();
        }
    }

    static final Snapshot ABSENT = new Snapshot(null, null);

    boolean absent() {
        return bytes == null;
    }

    /** Reads {@code file} once it is quiet; ABSENT when it does not exist; {@link FileBusyException} when never quiet. */
    static Snapshot read(Path file, Quiet quiet) throws IOException {
        long deadline = System.nanoTime() + quiet.maxWait().toNanos();
        while (true) {
            BasicFileAttributes a;
            try {
                a = BoundedFiles.check(file, BoundedFiles.PROVISION_YAML, "a provision YAML");
            } catch (NoSuchFileException e) {
                return ABSENT;
            }
            if (!quiet.fresh(a.lastModifiedTime())) {
                byte[] bytes = BoundedFiles.readBytes(file, BoundedFiles.PROVISION_YAML, "a provision YAML");
                Stamp before = Stamp.of(a);
                if (before.equals(stampOf(file)) && bytes.length == before.size()) {
                    return new Snapshot(bytes, before);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new FileBusyException(file);
            sleep(Math.min(left / 1_000_000 + 1, Math.max(10, quiet.interval().toMillis() / 4)));
        }
    }

    /** True when {@code file} still holds exactly this snapshot (absent: still absent), checked without waiting. */
    boolean stillThere(Path file, Quiet quiet) throws IOException {
        Stamp now = stampOf(file);
        if (absent()) return now == null;
        if (!stamp.equals(now) || quiet.fresh(now.mtime())) return false;
        byte[] again = BoundedFiles.readBytes(file, BoundedFiles.PROVISION_YAML, "a provision YAML");
        return java.util.Arrays.equals(again, bytes) && stamp.equals(stampOf(file));
    }

    /** The stamp of {@code file} (links followed), null when it does not exist. */
    static Stamp stampOf(Path file) throws IOException {
        try {
            return Stamp.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Sleeps; an interrupt becomes an InterruptedIOException (the interrupt flag kept). */
    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a quiet file");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && java.util.Arrays.equals(bytes, s.bytes) && Objects.equals(stamp, s.stamp);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes) * 31 + Objects.hashCode(stamp);
    }
}
