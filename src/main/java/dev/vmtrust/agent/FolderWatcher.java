package dev.vmtrust.agent;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.hashing.FileHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the plan's folders with directory-watcher (FSEvents on macOS, inotify on Linux) and reports raw
 * file events; {@link EventFilter} decides later which matter. Uses one pool of two daemon threads
 * ({@code vmtrust-watch-N}): one runs the library's blocking event loop, the other a tick every
 * {@code pollInterval} that
 * <ul>
 *   <li>re-plans when a root folder appeared or vanished (or the library's loop died), then reports the
 *       files already present in a root that appeared, so a VM that created its folder and {@code ha.pid}
 *       at once is still seen starting;</li>
 *   <li>polls mtime and size of source files that no watched folder covers (files directly in
 *       {@code $HOME}, files in missing or unreadable folders).</li>
 * </ul>
 * File hashing is by last-modified time: the default hasher reads whole files (gigabytes of VM disk on every
 * write), and a hasher that reads cannot see root-owned keychains change.
 */
final class FolderWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    /** Receives raw events, on a watcher thread. */
    interface Events {
        void changed(Path path, boolean deleted);

        /** Events were lost (inotify queue overflow): anything may have changed. */
        void overflow();
    }

    private record Stamp(boolean exists, FileTime modified, long size) {}

    private final WatchPlan plan;
    private final Events events;
    private final Duration pollInterval;
    private final PlanVisitor visitor;
    private final ScheduledThreadPoolExecutor executor;
    private DirectoryWatcher watcher;
    private CompletableFuture<Void> running;
    private Set<Path> watched = Set.of();
    private Set<Path> present = Set.of();
    private final Map<Path, Stamp> stamps = new HashMap<>();
    private boolean closed;
    private boolean buildFailedBefore;

    FolderWatcher(WatchPlan plan, Events events, Duration pollInterval) {
        this.plan = plan;
        this.events = events;
        this.pollInterval = pollInterval;
        this.visitor = new PlanVisitor(plan);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "vmtrust-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void start() {
        refresh(false);
        poll();
        executor.scheduleWithFixedDelay(
                this::tick, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The root folders watched right now. */
    synchronized Set<Path> watched() {
        return watched;
    }

    /** Stops the library's loop and the tick; waits up to half a second for the threads to end. */
    @Override
    public void close() {
        DirectoryWatcher w;
        synchronized (this) {
            closed = true;
            w = watcher;
            watcher = null;
        }
        executor.shutdownNow();
        closeQuietly(w);
        try {
            executor.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void tick() {
        if (closed) return;
        try {
            refresh(true);
            poll();
        } catch (RuntimeException e) {
            log.warn("watch tick failed: {}", e.toString(), e);
        }
    }

    private void refresh(boolean reportAppeared) {
        Set<Path> usable = new LinkedHashSet<>();
        for (WatchPlan.Root r : plan.roots()) {
            if (Files.isDirectory(r.dir()) && Files.isReadable(r.dir())) usable.add(r.dir());
        }
        boolean dead = running != null && running.isDone();
        Set<Path> appeared = new LinkedHashSet<>(usable);
        appeared.removeAll(present); // new on disk, not merely watchable again after a failed build
        present = usable;
        if (usable.equals(watched) && !dead) return;
        // build the new watcher before closing the old one, so no event falls between the two
        DirectoryWatcher old = watcher;
        watcher = null;
        running = null;
        watched = Set.of();
        if (!usable.isEmpty()) build(usable);
        closeQuietly(old);
        log.debug("watching {}", watched);
        if (reportAppeared) {
            for (Path root : appeared) {
                try {
                    visitor.recursiveVisitFiles(root, dir -> {}, file -> events.changed(file, false));
                } catch (IOException e) {
                    log.debug("cannot list {}: {}", root, e.toString());
                }
            }
        }
    }

    private void build(Set<Path> roots) {
        try {
            DirectoryWatcher w = DirectoryWatcher.builder()
                    .paths(List.copyOf(roots))
                    .listener(listener())
                    .fileHasher(FileHasher.LAST_MODIFIED_TIME)
                    .fileTreeVisitor(visitor)
                    .build();
            CompletableFuture<Void> f = w.watchAsync(executor); // registers before it returns
            if (f.isCompletedExceptionally()) {
                f.join(); // throws the registration failure
            }
            watcher = w;
            running = f;
            watched = Set.copyOf(roots);
            buildFailedBefore = false;
        } catch (IOException | RuntimeException e) {
            // e.g. the inotify watch limit; polling and the periodic resync still work; retried next tick
            if (buildFailedBefore) log.debug("cannot watch {}: {}", roots, e.toString());
            else log.warn("cannot watch {}: {}; relying on polling and the periodic resync", roots, e.toString());
            buildFailedBefore = true;
        }
    }

    private DirectoryChangeListener listener() {
        return new DirectoryChangeListener() {
            @Override
            public void onEvent(DirectoryChangeEvent e) {
                if (e.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) events.overflow();
                else if (!e.isDirectory())
                    events.changed(e.path(), e.eventType() == DirectoryChangeEvent.EventType.DELETE);
            }

            @Override
            public void onException(Exception e) {
                log.debug("watcher: {}", e.toString());
            }
        };
    }

    /** Checks the source files no watched folder covers; reports those whose mtime, size or existence changed. */
    private void poll() {
        Set<Path> polled = new LinkedHashSet<>(plan.polledFiles());
        for (Path f : plan.sourceFiles()) {
            Path dir = f.getParent();
            if (dir != null && !(plan.watches(dir) && watched.stream().anyMatch(dir::startsWith))) polled.add(f);
        }
        stamps.keySet().retainAll(polled);
        for (Path f : polled) {
            Stamp now = stamp(f);
            Stamp before = stamps.put(f, now);
            if (before != null && !before.equals(now)) events.changed(f, !now.exists());
        }
    }

    private static Stamp stamp(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new Stamp(true, a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return new Stamp(false, null, -1);
        }
    }

    private static void closeQuietly(DirectoryWatcher w) {
        if (w == null) return;
        try {
            w.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing the watcher: {}", e.toString());
        }
    }
}
