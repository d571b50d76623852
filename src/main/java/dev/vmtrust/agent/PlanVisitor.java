package dev.vmtrust.agent;

import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tree walk directory-watcher uses to register folders (inotify, one watch per folder) and to list
 * files (its initial state; on macOS also each FSEvents callback, which re-lists the changed folder).
 * It enters only folders the plan {@link WatchPlan#covers covers} and reports files only in folders the plan
 * {@link WatchPlan#watches watches}, so {@code _lima/<vm>/} is watched but nothing below it is, and a
 * folder created later inside a covered folder is registered by the library as it appears.
 *
 * <p>Symbolic links are not followed below the starting folder (no loops); unreadable folders are skipped.
 */
final class PlanVisitor implements FileTreeVisitor {
    private static final Logger log = LoggerFactory.getLogger(PlanVisitor.class);
    private final WatchPlan plan;

    PlanVisitor(WatchPlan plan) {
        this.plan = plan;
    }

    @Override
    public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
        if (Files.isDirectory(start)) {
            visit(start, onDirectory, onFile);
        } else if (Files.exists(start, LinkOption.NOFOLLOW_LINKS)
                && start.getParent() != null
                && plan.watches(start.getParent())) {
            onFile.call(start); // FSEvents file-level callbacks name a file
        }
    }

    private void visit(Path dir, Callback onDirectory, Callback onFile) throws IOException {
        if (!plan.covers(dir)) return;
        onDirectory.call(dir);
        boolean files = plan.watches(dir);
        DirectoryStream<Path> entries;
        try {
            entries = Files.newDirectoryStream(dir);
        } catch (IOException e) {
            log.debug("cannot list {}: {}", dir, e.toString());
            return;
        }
        // the callbacks' own IOExceptions (e.g. no inotify watch left) propagate to the library
        try (entries) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) visit(entry, onDirectory, onFile);
                else if (files) onFile.call(entry);
            }
        } catch (DirectoryIteratorException e) {
            log.debug("cannot list {}: {}", dir, e.getCause().toString());
        }
    }
}
