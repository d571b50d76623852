package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.Disk;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that saves colima.yaml in place (Go's os.WriteFile: O_TRUNC, then write) and does so after vmtrust's
 * last check but before its rename writes into the inode the rename unlinks. Made deterministic here: the disk
 * under the writer runs that in-place save right before the rename.
 */
class OrphanedWriteTest {
    @TempDir
    Path dir;

    @Test
    void aSaveInPlaceBetweenTheLastCheckAndTheRenameIsPutBackAndTheEntryAddedOnTop() throws Exception {
        Path file = dir.resolve("colima.yaml");
        Files.writeString(file, "cpu: 2\nprovision: []\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
        AtomicInteger saves = new AtomicInteger();
        Disk racing = new SavesInPlaceBeforeTheRename(file, saves);
        ProvisionFile pf = new ProvisionFile(
                file,
                false,
                () -> {},
                new Snapshot.Quiet(Duration.ofMillis(50), Duration.ofSeconds(2)),
                script -> true,
                new AtomicFiles(racing));

        assertThat(pf.upsert(SCRIPT)).isEqualTo(ProvisionFile.Outcome.UPDATED);

        String now = Files.readString(file);
        assertThat(now).as("their save is kept").contains("cpu: 4\nmemory: 8\n").doesNotContain("cpu: 2");
        assertThat(ProvisionEditor.currentScript(now))
                .as("and vmtrust's entry is on top of it")
                .contains(SCRIPT);
        assertThat(Files.readString(dir.resolve("colima.yaml.vmtrust.bak"))).isEqualTo("cpu: 2\nprovision: []\n");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temp file left")
                    .containsExactlyInAnyOrder("colima.yaml", "colima.yaml.vmtrust.bak");
        }
    }

    /** The real disk, except that the first rename onto {@code file} is preceded by another program's in-place save. */
    private record SavesInPlaceBeforeTheRename(Path file, AtomicInteger saves) implements Disk {
        @Override
        public void move(Path from, Path to, CopyOption... options) throws IOException {
            if (to.equals(file) && saves.getAndIncrement() == 0) {
                Files.writeString(file, "cpu: 4\nmemory: 8\nprovision: []\n", StandardOpenOption.TRUNCATE_EXISTING);
            }
            Disk.SYSTEM.move(from, to, options);
        }

        @Override
        public Path createFile(Path f, FileAttribute<?>... attrs) throws IOException {
            return Disk.SYSTEM.createFile(f, attrs);
        }

        @Override
        public void write(Path f, byte[] data) throws IOException {
            Disk.SYSTEM.write(f, data);
        }

        @Override
        public void force(Path f) throws IOException {
            Disk.SYSTEM.force(f);
        }

        @Override
        public void setPosixFilePermissions(Path f, Set<PosixFilePermission> mode) throws IOException {
            Disk.SYSTEM.setPosixFilePermissions(f, mode);
        }

        @Override
        public void forceDirectory(Path d) throws IOException {
            Disk.SYSTEM.forceDirectory(d);
        }

        @Override
        public boolean deleteIfExists(Path f) throws IOException {
            return Disk.SYSTEM.deleteIfExists(f);
        }

        @Override
        public void createLink(Path link, Path existing) throws IOException {
            Disk.SYSTEM.createLink(link, existing);
        }

        @Override
        public void copy(Path from, Path to, CopyOption... options) throws IOException {
            Disk.SYSTEM.copy(from, to, options);
        }
    }
}
