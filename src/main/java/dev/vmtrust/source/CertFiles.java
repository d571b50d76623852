package dev.vmtrust.source;

import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.CertParser;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads one certificate file for {@link CertParser}. Anything that is not a regular file (FIFO, device,
 * directory, socket; also as the target of a symlink) is refused from its attributes, without being
 * opened: opening a FIFO blocks and a device never ends. Files over 1 MiB are refused, and at most
 * 1 MiB + 1 bytes are ever read, even from a file that grows meanwhile. Never throws: problems become
 * a rejection with the given label.
 */
public final class CertFiles {
    public static final int MAX_BYTES = 1024 * 1024;

    /** Opens a file already checked to be regular; tests inject one that fails like the OS would. */
    @FunctionalInterface
    public interface Opener {
        InputStream open(Path path) throws IOException;
    }

    /** How long a file that looks cut mid-write is waited for, counted from its modification time. */
    public static final Duration SETTLE = Duration.ofSeconds(2);

    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);

    private final Opener opener;
    private final Duration settle;

    public CertFiles() {
        this(Files::newInputStream);
    }

    public CertFiles(Opener opener) {
        this(opener, SETTLE);
    }

    public CertFiles(Opener opener, Duration settle) {
        this.opener = opener;
        this.settle = settle;
    }

    /**
     * Reads and parses one certificate file. A file written in place (truncate, then write: {@code cp}, a
     * download, most editors) is for a moment empty or cut inside a PEM block; parsed then, its CAs would leave
     * every VM for a round. So while the file looks so and was modified less than {@link #SETTLE} before
     * {@code now}, it is read again every 50 ms, until it looks whole or that time has passed (then it is
     * parsed as it is). A file that stays cut is what it is: rejected, as before.
     */
    public Screened<CaCert> read(Path path, String label, Instant now) {
        Bytes b = bytes(path, label, MAX_BYTES);
        long started = System.nanoTime();
        while (b.problem() == null && looksCut(b.data()) && writtenWithin(path, now, started)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            b = bytes(path, label, MAX_BYTES);
        }
        return b.problem() != null
                ? new Screened<>(List.of(), List.of(b.problem()))
                : CertParser.parse(b.data(), label, now);
    }

    /** Empty (or blank), or a PEM block begun and not ended: what a file being written looks like. */
    static boolean looksCut(byte[] data) {
        boolean blank = true;
        for (byte x : data) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                blank = false;
                break;
            }
        }
        return blank || lastIndexOf(data, BEGIN) > lastIndexOf(data, END);
    }

    /**
     * The file's mtime is less than {@link #settle} before {@code now}, waiting included, and this read has not
     * waited that long yet (a file rewritten again and again is not waited for forever).
     */
    private boolean writtenWithin(Path path, Instant now, long started) {
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        if (waited.compareTo(settle) >= 0) return false;
        try {
            Instant mtime = Files.getLastModifiedTime(path).toInstant();
            Duration age = Duration.between(mtime, now.plus(waited));
            return !age.isNegative() && age.compareTo(settle) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int lastIndexOf(byte[] data, byte[] what) {
        outer:
        for (int i = data.length - what.length; i >= 0; i--) {
            for (int j = 0; j < what.length; j++) if (data[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** The raw bytes of a file, or why not: {@code data} is null exactly when {@code problem} is set. */
    public record Bytes(byte[] data, Rejection problem) {}

    /**
     * The same checks as {@link #read} with another size cap, for inputs that are not certificate files
     * themselves (a distro's p11-kit bundle, {@code /etc/os-release}); the caller parses the bytes.
     */
    public Bytes bytes(Path path, String label, int maxBytes) {
        String limit = maxBytes % (1024 * 1024) == 0 ? (maxBytes / (1024 * 1024)) + " MiB" : maxBytes + " bytes";
        try {
            BasicFileAttributes own = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes target =
                    own.isSymbolicLink() ? Files.readAttributes(path, BasicFileAttributes.class) : own;
            if (!target.isRegularFile()) {
                return refusedBytes(label, "not a regular file (" + kind(path, target) + "); skipped");
            }
            if (target.size() > maxBytes) {
                return refusedBytes(label, "is " + target.size() + " bytes, over the " + limit + " limit; skipped");
            }
            byte[] data;
            try (InputStream in = opener.open(path)) {
                data = in.readNBytes(maxBytes + 1);
            }
            if (data.length > maxBytes)
                return refusedBytes(label, "grew past the " + limit + " limit while being read; skipped");
            return new Bytes(data, null);
        } catch (IOException | SecurityException e) {
            return refusedBytes(label, "cannot read: " + osReason(e));
        }
    }

    private static Bytes refusedBytes(String label, String reason) {
        return new Bytes(null, new Rejection(label, reason));
    }

    /** "a FIFO", "a directory", ...: the one classification, in {@link dev.vmtrust.platform.BoundedFiles#kind}. */
    static String kind(Path path, BasicFileAttributes a) {
        return dev.vmtrust.platform.BoundedFiles.kind(path, a);
    }

    /** The OS's words for a failure, e.g. {@code Permission denied}, {@code No such file or directory}. */
    static String osReason(Exception e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof SecurityException) return "Permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
