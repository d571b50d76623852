package dev.vmtrust.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.FaultyDisk.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one writer's contract, with every file-system call it makes failing in turn (FaultyDisk). */
class AtomicFilesTest {
    private static final byte[] OLD = "old content\n".getBytes();
    private static final byte[] NEW = "the new content, longer than the old one\n".getBytes();

    @TempDir
    Path dir;

    Path file;
    final FaultyDisk disk = new FaultyDisk();
    final AtomicFiles files = new AtomicFiles(disk);

    @BeforeEach
    void anExistingFile() throws IOException {
        file = dir.resolve("f.json");
        Files.write(file, OLD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    }

    @Test
    void dataAndModeAreForcedBeforeTheRenameAndTheFolderAfterIt() throws Exception {
        files.write(file, NEW, "rw-r--r--");

        List<String> calls = disk.calls();
        assertThat(calls)
                .extracting(c -> c.split(" ")[0])
                .containsExactly("create", "write", "chmod", "force", "move", "force_dir");
        String temp = calls.get(0).split(" ")[1];
        assertThat(temp).matches("\\.f\\.json\\." + ProcessHandle.current().pid() + "-[0-9a-z]+\\.tmp");
        assertThat(calls.subList(0, 4)).allMatch(c -> c.endsWith(" " + temp));
        assertThat(calls.get(4)).isEqualTo("move " + temp + " f.json");
        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r--r--");
        assertThat(names()).containsExactly("f.json");
    }

    @ParameterizedTest
    @EnumSource(
            value = Call.class,
            names = {"CREATE", "WRITE", "CHMOD", "FORCE", "MOVE"})
    void aFailedStepLeavesTheOldFileWholeAndNoTempFile(Call step) throws Exception {
        disk.failOn(step);

        assertThatThrownBy(() -> files.write(file, NEW, "rw-r--r--"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("injected " + step.name().toLowerCase());

        assertOldFileAlone();
        disk.heal();
        files.write(file, NEW, "rw-r--r--");
        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        assertThat(names()).containsExactly("f.json");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 20})
    void aFullDiskLeavesTheOldFileWholeAndNoTempFile(int bytes) throws Exception {
        disk.diskFullAfter(bytes);

        assertThatThrownBy(() -> files.write(file, NEW, "rw-r--r--")).hasMessage("No space left on device");

        assertOldFileAlone();
        assertThat(disk.calls(Call.MOVE)).isEmpty();
    }

    @Test
    void aNewFileDoesNotAppearWhenItsWriteFails() throws Exception {
        disk.diskFullAfter(5);
        Path fresh = dir.resolve("sub/new.pem");

        assertThatThrownBy(() -> files.write(fresh, NEW, "rw-r--r--")).isInstanceOf(IOException.class);

        assertThat(fresh).doesNotExist();
        try (Stream<Path> s = Files.list(fresh.getParent())) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aFolderThatCannotBeForcedDoesNotFailTheWrite() throws Exception {
        disk.failOn(Call.FORCE_DIR);

        files.write(file, NEW, "rw-r--r--");

        assertThat(Files.readAllBytes(file)).isEqualTo(NEW);
        assertThat(disk.calls(Call.FORCE_DIR)).hasSize(1);
    }

    @Test
    void aFailedCleanupIsReportedWithTheFailureNotInsteadOfIt() throws Exception {
        disk.failOn(Call.MOVE).failOn(Call.DELETE);

        assertThatThrownBy(() -> files.write(file, NEW, "rw-r--r--"))
                .hasMessageContaining("injected move")
                .satisfies(e -> assertThat(e.getSuppressed())
                        .singleElement()
                        .satisfies(s -> assertThat(s).hasMessageContaining("injected delete")));

        assertThat(Files.readAllBytes(file)).isEqualTo(OLD);
        assertThat(names()).hasSize(2).contains("f.json"); // the temp file: swept once this process is gone
    }

    @Test
    void aCheckThatSaysNoOrThrowsLeavesTheFileAndRemovesTheTemp() throws Exception {
        assertThat(files.replace(file, NEW, null, ".tmp", t -> false)).isFalse();
        assertOldFileAlone();

        assertThatThrownBy(() -> files.replace(file, NEW, null, ".tmp", t -> {
                    throw new IOException("changed meanwhile");
                }))
                .hasMessage("changed meanwhile");
        assertOldFileAlone();
    }

    @Test
    void createOnceNeverReplacesAndAppearsWhole() throws Exception {
        Path backup = dir.resolve("f.json.bak");
        var mode = PosixFilePermissions.fromString("rw-r-----");

        assertThat(files.createOnce(backup, OLD, mode, ".tmp")).isTrue();
        assertThat(files.createOnce(backup, NEW, mode, ".tmp")).isFalse();

        assertThat(Files.readAllBytes(backup)).isEqualTo(OLD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-r-----");
        assertThat(disk.calls(Call.LINK)).hasSize(1);
        assertThat(names()).containsExactly("f.json", "f.json.bak");
    }

    @Test
    void createOnceCopiesWhereHardLinksFailAndLeavesNothingPartial() throws Exception {
        Path backup = dir.resolve("f.json.bak");
        disk.failOn(Call.LINK);

        assertThat(files.createOnce(backup, OLD, null, ".tmp")).isTrue();
        assertThat(Files.readAllBytes(backup)).isEqualTo(OLD);
        assertThat(disk.calls(Call.COPY)).hasSize(1);

        Files.delete(backup);
        disk.diskFullAfter(OLD.length + 3); // the temp file fits, the copy does not
        assertThatThrownBy(() -> files.createOnce(backup, OLD, null, ".tmp")).hasMessage("No space left on device");
        assertThat(backup).doesNotExist();
        assertThat(names()).containsExactly("f.json");
    }

    private void assertOldFileAlone() throws IOException {
        assertThat(Files.readAllBytes(file)).isEqualTo(OLD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        assertThat(names()).containsExactly("f.json");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
