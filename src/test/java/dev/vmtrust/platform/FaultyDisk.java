package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link Disk} decorator for fault tests: every call goes to the real file system (or another Disk) unless a
 * rule says it fails, the way a full disk, an I/O error or a lost device makes it fail. Rules: {@link #failOn}
 * (every call of a kind, the n-th one, or those on matching paths) and {@link #diskFullAfter} (writes and copies
 * succeed until that many bytes in total, then the write that crosses the limit writes what fits and fails with
 * ENOSPC). {@link #calls()} records each call ("move .f.1-x.tmp f"), so that a test can check their order too.
 */
public final class FaultyDisk implements Disk {
    public enum Call {
        CREATE,
        WRITE,
        CHMOD,
        FORCE,
        MOVE,
        FORCE_DIR,
        DELETE,
        LINK,
        COPY
    }

    private record Rule(Call call, Predicate<Path> on, int nth, int[] seen) {}

    private final Disk inner;
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private long bytesLeft = Long.MAX_VALUE;

    public FaultyDisk() {
        this(Disk.SYSTEM);
    }

    public FaultyDisk(Disk inner) {
        this.inner = inner;
    }

    /** Every {@code call} fails from now on. */
    public FaultyDisk failOn(Call call) {
        return failOn(call, 0, p -> true);
    }

    /** Only the {@code nth} (1-based) {@code call} from now on fails. */
    public FaultyDisk failOn(Call call, int nth) {
        return failOn(call, nth, p -> true);
    }

    /** {@code call}s on paths that {@code on} accepts (the first path of a move, link or copy) fail. */
    public FaultyDisk failOn(Call call, Predicate<Path> on) {
        return failOn(call, 0, on);
    }

    /** The {@code nth} of the {@code call}s on matching paths fails (0: every one). */
    public synchronized FaultyDisk failOn(Call call, int nth, Predicate<Path> on) {
        rules.add(new Rule(call, on, nth, new int[1]));
        return this;
    }

    /** Writes and copies get {@code bytes} in total from now on; then the disk is full. */
    public synchronized FaultyDisk diskFullAfter(long bytes) {
        bytesLeft = bytes;
        return this;
    }

    /** No more faults: the disk works again (the calls stay recorded). */
    public synchronized FaultyDisk heal() {
        rules.clear();
        bytesLeft = Long.MAX_VALUE;
        return this;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The recorded calls of one kind, e.g. {@code calls(Call.MOVE)}. */
    public synchronized List<String> calls(Call call) {
        String word = call.name().toLowerCase(java.util.Locale.ROOT) + " ";
        return calls.stream().filter(c -> c.startsWith(word)).toList();
    }

    @Override
    public Path createFile(Path file, FileAttribute<?>... attrs) throws IOException {
        check(Call.CREATE, file, null);
        return inner.createFile(file, attrs);
    }

    @Override
    public void write(Path file, byte[] data) throws IOException {
        check(Call.WRITE, file, null);
        long fits = take(data.length);
        if (fits < data.length) {
            inner.write(file, Arrays.copyOf(data, (int) fits));
            throw new IOException("No space left on device");
        }
        inner.write(file, data);
    }

    @Override
    public void force(Path file) throws IOException {
        check(Call.FORCE, file, null);
        inner.force(file);
    }

    @Override
    public void setPosixFilePermissions(Path file, Set<PosixFilePermission> mode) throws IOException {
        check(Call.CHMOD, file, null);
        inner.setPosixFilePermissions(file, mode);
    }

    @Override
    public void move(Path from, Path to, CopyOption... options) throws IOException {
        check(Call.MOVE, from, to);
        inner.move(from, to, options);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        check(Call.FORCE_DIR, dir, null);
        inner.forceDirectory(dir);
    }

    @Override
    public boolean deleteIfExists(Path file) throws IOException {
        check(Call.DELETE, file, null);
        return inner.deleteIfExists(file);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        check(Call.LINK, link, existing);
        inner.createLink(link, existing);
    }

    @Override
    public void copy(Path from, Path to, CopyOption... options) throws IOException {
        check(Call.COPY, from, to);
        long size = Files.size(from);
        long fits = take(size);
        inner.copy(from, to, options);
        if (fits < size) { // the copy stopped where the disk was full
            try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
                ch.truncate(fits);
            }
            throw new IOException("No space left on device");
        }
    }

    /** Records the call; throws when a rule says this one fails. */
    private synchronized void check(Call call, Path path, Path other) throws IOException {
        calls.add(call.name().toLowerCase(java.util.Locale.ROOT) + " " + path.getFileName()
                + (other == null ? "" : " " + other.getFileName()));
        for (Rule r : rules) {
            if (r.call() != call || !r.on().test(path)) continue;
            r.seen()[0]++;
            if (r.nth() == 0 || r.nth() == r.seen()[0]) {
                throw new FileSystemException(
                        path.toString(),
                        other == null ? null : other.toString(),
                        "Input/output error (injected " + call.name().toLowerCase(java.util.Locale.ROOT) + " fault)");
            }
        }
    }

    /** Takes up to {@code n} bytes of the space left; returns how many fit. */
    private synchronized long take(long n) {
        long fits = Math.min(n, bytesLeft);
        if (bytesLeft != Long.MAX_VALUE) bytesLeft -= fits;
        return fits;
    }
}
