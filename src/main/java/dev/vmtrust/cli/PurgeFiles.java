package dev.vmtrust.cli;

import dev.vmtrust.platform.TempFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code uninstall --purge} removes on the host after the VMs are clean: vmtrust's own files, by name,
 * never a whole folder. The state folder's files ({@code status.json}, {@code ca-set.pem}, {@code bundle.pem},
 * {@code notify-state.json}, {@code lock}, and temp files a killed writer left), the agent's logs, and the
 * installed copy that {@code scripts/install.sh} made ({@code vmtrust}, {@code vmtrust.jar}, {@code java.path},
 * {@code vmtrust.jsa}) when the running launcher is that copy. A folder is removed only when it is then empty.
 * On macOS the state folder and the install folder are the same ({@code ~/Library/Application Support/vmtrust}).
 */
final class PurgeFiles {
    static final Set<String> STATE = Set.of("status.json", "ca-set.pem", "bundle.pem", "notify-state.json", "lock");
    static final Set<String> INSTALLED = Set.of("vmtrust", "vmtrust.jar", "java.path", "vmtrust.jsa");
    /** The files in the state folder written through TempFiles (all of STATE but the lock). */
    private static final List<Pattern> STATE_TEMPS = STATE.stream()
            .filter(n -> !n.equals("lock"))
            .sorted()
            .map(n -> TempFiles.pattern(n, TempFiles.SUFFIX))
            .toList();
    /** install.sh's temp names ({@code .vmtrust.new}, {@code .vmtrust.jar.new}). */
    private static final Pattern INSTALL_TEMP = Pattern.compile("\\.vmtrust(\\.jar)?\\.new");

    private static final Pattern LOG = Pattern.compile("vmtrust(\\.\\d+)?\\.log");

    private PurgeFiles() {}

    /** Removes what is there and returns the paths removed; {@code launcher} is the running launcher, if known. */
    static List<Path> remove(Path stateDir, Optional<Path> logDir, Optional<Path> launcher) throws IOException {
        List<Path> removed = new ArrayList<>();
        removeMatching(stateDir, n -> STATE.contains(n) || temp(n), removed);
        if (logDir.isPresent()) removeMatching(logDir.get(), n -> LOG.matcher(n).matches(), removed);
        Optional<Path> installDir = launcher.map(Path::toAbsolutePath)
                .map(Path::getParent)
                .filter(d ->
                        Files.isRegularFile(d.resolve("vmtrust.jar")) && Files.isRegularFile(d.resolve("java.path")));
        if (installDir.isPresent()) removeMatching(installDir.get(), n -> INSTALLED.contains(n) || temp(n), removed);
        for (Optional<Path> dir : List.of(Optional.of(stateDir), logDir, installDir)) {
            if (dir.isPresent()) removeIfEmpty(dir.get(), removed);
        }
        return removed;
    }

    /** TempFiles' names for the state files ({@code .NAME.PID-RANDOM.tmp}) and install.sh's. */
    private static boolean temp(String name) {
        return INSTALL_TEMP.matcher(name).matches()
                || STATE_TEMPS.stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static void removeMatching(Path dir, java.util.function.Predicate<String> mine, List<Path> removed)
            throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (mine.test(p.getFileName().toString())
                        && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
    }

    private static void removeIfEmpty(Path dir, List<Path> removed) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            if (s.iterator().hasNext()) return;
        }
        Files.deleteIfExists(dir);
        removed.add(dir);
    }
}
