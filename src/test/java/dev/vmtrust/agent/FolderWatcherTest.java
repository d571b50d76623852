package dev.vmtrust.agent;

import static dev.vmtrust.agent.ReconcileLoopTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw events from the real library, before relevance. */
class FolderWatcherTest {
    @TempDir
    Path tmp;

    private final List<Path> events = new CopyOnWriteArrayList<>();
    /** First event time per path: one map entry written in one step, so a reader never sees half of it. */
    private final java.util.Map<Path, Long> firstEventNanos = new java.util.concurrent.ConcurrentHashMap<>();

    private FolderWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) watcher.close();
    }

    private void watch(WatchPlan.Root... roots) {
        WatchPlan plan = new WatchPlan(
                List.of(roots), Set.of(), Set.of(), Set.of(), new TargetNames(null, null, null, Set.of(), Set.of()));
        watcher = new FolderWatcher(
                plan,
                new FolderWatcher.Events() {
                    @Override
                    public void changed(Path path, boolean deleted) {
                        firstEventNanos.putIfAbsent(path, System.nanoTime());
                        events.add(path);
                    }

                    @Override
                    public void overflow() {}
                },
                Duration.ofMillis(100));
        watcher.start();
    }

    @Test
    void foldersBelowARootsDepthAreNotWatchedAtAll() throws Exception {
        Path lima = Files.createDirectories(tmp.resolve("_lima"));
        Path deep = Files.createDirectories(lima.resolve("colima/cidata"));
        watch(new WatchPlan.Root(lima, 1));
        Files.writeString(deep.resolve("ha.pid"), "1");
        Files.createDirectories(lima.resolve("colima/later"));
        Thread.sleep(200);
        Files.writeString(lima.resolve("colima/later/ha.pid"), "1");
        Files.writeString(lima.resolve("colima/ha.pid"), "1");
        awaitTrue(() -> events.contains(lima.resolve("colima/ha.pid")), 1000);
        Thread.sleep(200);
        assertThat(events).containsOnly(lima.resolve("colima/ha.pid"));
    }

    @Test
    void aRenamedFileIsReportedWithinAFewMilliseconds() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("certs"));
        Path cert = dir.resolve("corp.pem");
        Files.writeString(cert, "0");
        watch(new WatchPlan.Root(dir, 0));
        List<Long> micros = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            events.clear();
            firstEventNanos.clear();
            Path temp = dir.resolve(".tmp" + i);
            Files.writeString(temp, "content " + i);
            long t = System.nanoTime();
            Files.move(temp, cert, StandardCopyOption.ATOMIC_MOVE);
            awaitTrue(() -> firstEventNanos.containsKey(cert), 1000);
            micros.add((firstEventNanos.get(cert) - t) / 1000);
        }
        Collections.sort(micros);
        System.out.printf(
                "rename -> event (inotify): median %d us, max %d us over %d renames%n",
                micros.get(micros.size() / 2), micros.get(micros.size() - 1), micros.size());
        assertThat(micros.get(micros.size() - 1)).isLessThan(500_000L);
    }

    @Test
    void aRootThatVanishesAndComesBackIsWatchedAgain() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("certs"));
        watch(new WatchPlan.Root(dir, 0));
        Files.delete(dir);
        awaitTrue(() -> watcher.watched().isEmpty(), 1000);
        Files.createDirectories(dir);
        awaitTrue(() -> watcher.watched().equals(Set.of(dir)), 1000);
        Files.writeString(dir.resolve("corp.pem"), "1");
        awaitTrue(() -> events.contains(dir.resolve("corp.pem")), 1000);
    }
}
