package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;

/**
 * The one way vmtrust reads a file that comes from outside (DESIGN convention 12). Contract:
 * <ul>
 *   <li>symbolic links are followed, but the file they lead to must be a regular file; that is checked from
 *       its attributes first, which never blocks (opening a FIFO blocks until a writer comes; a device such as
 *       /dev/zero never ends);</li>
 *   <li>a file over {@code cap} bytes is refused from its size, and at most {@code cap + 1} bytes are ever
 *       read, even from a file that grows meanwhile;</li>
 *   <li>every refusal is a {@link RefusedFileException} (an IOException) whose message names the file, what
 *       is wrong and the limit; a missing file is the usual {@link java.nio.file.NoSuchFileException}.</li>
 * </ul>
 * The caps of the files vmtrust reads are named here, so that the limits are explicit and listed once.
 */
public final class BoundedFiles {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    /** config.yaml: a few lines of YAML. */
    public static final long CONFIG = MIB;
    /** colima.yaml, lima.yaml and Colima's template: a real one is under 20 KB, plus vmtrust's entry. */
    public static final long PROVISION_YAML = 4 * MIB;
    /** Lima's ha.pid: one number. */
    public static final long HA_PID = 4 * KIB;
    /** Lima's ssh.config: a dozen lines. */
    public static final long SSH_CONFIG = 256 * KIB;
    /** An SSH private key (IdentityFile): a few KB even for RSA 16384; only its size is checked, never read. */
    public static final long IDENTITY = 64 * KIB;
    /** status.json and notify-state.json in the state folder. */
    public static final long STATE_JSON = 16 * MIB;
    /** ca-set.pem and bundle.pem in the state folder (public roots + the largest CA set vmtrust persists). */
    public static final long STATE_PEM = 32 * MIB;

    private BoundedFiles() {}

    /** A file vmtrust does not read: not a regular file, or over its size limit. */
    public static final class RefusedFileException extends IOException {
        public RefusedFileException(String message) {
            super(message);
        }
    }

    /**
     * The attributes of the regular file {@code path} leads to, after checking its type and size; never opens
     * it. {@code what} names the kind of file in messages, with its article: "an ssh.config".
     */
    public static BasicFileAttributes check(Path path, long cap, String what) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new RefusedFileException(
                    path + ": not a regular file (" + kind(path, a) + "); vmtrust reads only regular files");
        }
        if (a.size() > cap) throw tooLarge(path, a.size(), cap, what);
        return a;
    }

    /** The bytes of {@code path}, checked as in {@link #check}. */
    public static byte[] readBytes(Path path, long cap, String what) throws IOException {
        BasicFileAttributes before = check(path, cap, what);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            // the path may have been swapped between the check and the open: check what was opened
            BasicFileAttributes opened = Files.readAttributes(path, BasicFileAttributes.class);
            if (!opened.isRegularFile() || !Objects.equals(opened.fileKey(), before.fileKey())) {
                throw new RefusedFileException(path + ": was replaced while vmtrust opened it; try again");
            }
            if (ch.size() > cap) throw tooLarge(path, ch.size(), cap, what);
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(cap + 1, Math.max(ch.size() + 1, 8 * KIB)));
            while (true) {
                if (!buf.hasRemaining()) {
                    if (buf.capacity() > cap) throw tooLarge(path, buf.capacity(), cap, what);
                    ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(cap + 1, (long) buf.capacity() * 2));
                    buf.flip();
                    bigger.put(buf);
                    buf = bigger;
                }
                if (ch.read(buf) < 0) break;
            }
            if (buf.position() > cap) throw tooLarge(path, buf.position(), cap, what);
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    /** The text of {@code path} as strict UTF-8 (a malformed byte is a CharacterCodingException). */
    public static String readString(Path path, long cap, String what) throws IOException {
        return decode(readBytes(path, cap, what));
    }

    public static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static RefusedFileException tooLarge(Path path, long size, long cap, String what) {
        String shown = size(size).replace(".0 ", " ").equals(size(cap)) ? size + " bytes" : size(size); // not "4.0 KiB"
        String grew = size == cap + 1 && !exactSizeKnown(path, size) ? "grew past " : shown + " is over ";
        return new RefusedFileException(path + ": " + grew + "the " + size(cap) + " limit for " + what);
    }

    /** True when the file's size on disk is {@code size} (it did not grow while being read). */
    private static boolean exactSizeKnown(Path path, long size) {
        try {
            return Files.size(path) == size;
        } catch (IOException e) {
            return false;
        }
    }

    /** "812 bytes", "256 KiB", "1.5 GiB": whole numbers when exact. */
    public static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < KIB) return bytes + (bytes == 1 ? " byte" : " bytes");
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    /** "a FIFO", "a directory", ... from the st_mode type bits where the JDK exposes them (Linux, macOS). */
    public static String kind(Path path, BasicFileAttributes a) {
        if (a.isDirectory()) return "a directory";
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return "a special file";
        }
    }
}
