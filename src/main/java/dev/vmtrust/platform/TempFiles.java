package dev.vmtrust.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temp files for atomic replacement, named {@code .<name>.<pid>-<random><suffix>} beside the target, so that
 * the leftovers of a writer that was killed (SIGKILL, power loss) can be told from a live writer's and removed:
 * {@link #create} first sweeps temps of the same target whose PID is no longer alive. {@link #SUFFIX} is the
 * suffix of vmtrust's own files; a user's file (a provision YAML) gets one that names vmtrust.
 */
public final class TempFiles {
    public static final String SUFFIX = ".tmp";

    private TempFiles() {}

    /** A new empty temp file for target {@code name} in {@code dir}, created through {@code disk}. */
    public static Path create(Disk disk, Path dir, String name, String suffix, FileAttribute<?>... attrs)
            throws IOException {
        sweep(dir, name, suffix);
        String prefix = "." + name + "." + ProcessHandle.current().pid() + "-";
        for (int i = 0; ; i++) {
            Path p = dir.resolve(
                    prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                return disk.createFile(p, attrs);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i > 10) throw e;
            }
        }
    }

    /** The names of temp files for target {@code name}; group 1 is the writer's PID. */
    public static Pattern pattern(String name, String suffix) {
        return Pattern.compile(Pattern.quote("." + name + ".") + "(\\d{1,10})-[0-9a-z]+" + Pattern.quote(suffix));
    }

    /** Deletes {@code .<name>.<pid>-*<suffix>} files in {@code dir} whose writer process is gone. */
    public static void sweep(Path dir, String name, String suffix) {
        Pattern p = pattern(name, suffix);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "." + glob(name) + ".*")) {
            for (Path f : s) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1)))) Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover temp file is litter, not a failure
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String glob(String name) {
        return name.replaceAll("[*?\\[\\]{}\\\\]", "?");
    }
}
