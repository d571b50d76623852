package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static dev.vmtrust.vm.provision.TestScripts.SCRIPT2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.FaultyDisk;
import dev.vmtrust.platform.FaultyDisk.Call;
import dev.vmtrust.vm.provision.ProvisionFile.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provision YAML writer on a failing disk (FaultyDisk): whatever call fails, the user's file keeps its
 * bytes and mode, no temp file stays in the user's folder, a backup is either absent or the exact original,
 * and the next edit on a healthy disk works.
 */
class ProvisionFileFaultsTest {
    private static final String ORIGINAL = "# my profile\ncpu: 2\nprovision: []\nenv: {}\n";
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);
    private static final Predicate<Path> BACKUP =
            p -> p.getFileName().toString().contains(".vmtrust.bak");
    private static final Predicate<Path> EDIT = p -> p.getFileName().toString().startsWith(".colima.yaml.");

    @TempDir
    Path dir;

    Path file;
    final FaultyDisk disk = new FaultyDisk();

    @BeforeEach
    void writeTheUsersFile() throws IOException {
        file = dir.resolve("colima.yaml");
        Files.writeString(file, ORIGINAL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(file, LONG_AGO);
    }

    static Stream<Arguments> faults() {
        int edit = editBytes();
        return Stream.of(
                fault("the edit's temp file cannot be created", d -> d.failOn(Call.CREATE, EDIT)),
                fault("the edit cannot be written", d -> d.failOn(Call.WRITE, EDIT)),
                fault("the disk fills up during the edit", d -> d.diskFullAfter(edit / 2)),
                fault("the edit's mode cannot be set", d -> d.failOn(Call.CHMOD, EDIT)),
                fault("the edit cannot be forced", d -> d.failOn(Call.FORCE, EDIT)),
                fault("the backup's temp file cannot be written", d -> d.failOn(Call.WRITE, BACKUP)),
                fault("the disk fills up during the backup", d -> d.diskFullAfter(edit + 10)),
                fault(
                        "the backup can be neither linked nor copied",
                        d -> d.failOn(Call.LINK).failOn(Call.COPY)),
                fault("the rename over the file fails", d -> d.failOn(Call.MOVE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void noDataIsLostWhenTheDiskFails(String what, Consumer<FaultyDisk> fault) throws Exception {
        fault.accept(disk);

        assertThatThrownBy(() -> provisionFile(s -> true).upsert(SCRIPT)).isInstanceOf(IOException.class);

        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        assertThat(names())
                .noneMatch(n -> n.endsWith(ProvisionFile.TEMP_SUFFIX))
                .contains("colima.yaml");
        Path backup = ProvisionFile.backupOf(file);
        if (Files.exists(backup)) {
            assertThat(Files.readString(backup)).isEqualTo(ORIGINAL);
        }

        disk.heal();
        assertThat(provisionFile(s -> true).upsert(SCRIPT)).isEqualTo(Outcome.UPDATED);
        assertThat(Files.readString(file))
                .isEqualTo(ProvisionEditor.upsert(ORIGINAL, SCRIPT).text());
        assertThat(Files.readString(backup)).isEqualTo(ORIGINAL);
        assertThat(names()).containsExactly("colima.yaml", "colima.yaml.vmtrust.bak");
    }

    @Test
    void aUsersEditIsNotReplacedWhenItsBackupCannotBeWritten() throws Exception {
        String ours = ProvisionEditor.upsert(ORIGINAL, SCRIPT).text();
        String usersEdit = ours.replace("set -eu\n", "set -eux\n");
        Files.writeString(file, usersEdit);
        Files.setLastModifiedTime(file, LONG_AGO);
        disk.failOn(Call.MOVE, p -> p.getFileName().toString().startsWith(".colima.yaml.vmtrust-user-edit.bak."));

        assertThatThrownBy(() -> provisionFile(SCRIPT::equals).upsert(SCRIPT2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("injected move");

        assertThat(Files.readString(file)).isEqualTo(usersEdit);
        assertThat(names())
                .noneMatch(n -> n.endsWith(ProvisionFile.TEMP_SUFFIX))
                .doesNotContain("colima.yaml.vmtrust-user-edit.bak");

        disk.heal();
        ProvisionFile healthy = provisionFile(SCRIPT::equals);
        assertThat(healthy.upsert(SCRIPT2)).isEqualTo(Outcome.UPDATED);
        assertThat(healthy.userEditBackup()).contains(ProvisionFile.userEditBackupOf(file.toRealPath()));
        assertThat(Files.readString(ProvisionFile.userEditBackupOf(file))).isEqualTo(usersEdit);
    }

    @Test
    void aRemovalThatFailsLeavesTheEntry() throws Exception {
        assertThat(provisionFile(s -> true).upsert(SCRIPT)).isEqualTo(Outcome.UPDATED);
        String withEntry = Files.readString(file);
        Files.setLastModifiedTime(file, LONG_AGO);
        disk.diskFullAfter(10);

        assertThatThrownBy(() -> provisionFile(s -> true).remove()).hasMessage("No space left on device");

        assertThat(Files.readString(file)).isEqualTo(withEntry);
        assertThat(names()).containsExactly("colima.yaml", "colima.yaml.vmtrust.bak");
    }

    private ProvisionFile provisionFile(Predicate<String> ours) {
        return new ProvisionFile(file, false, () -> {}, Snapshot.Quiet.DEFAULT, ours, new AtomicFiles(disk));
    }

    private static int editBytes() {
        try {
            return ProvisionEditor.upsert(ORIGINAL, SCRIPT).text().getBytes(StandardCharsets.UTF_8).length;
        } catch (ProvisionYamlException e) {
            throw new AssertionError(e);
        }
    }

    private static Arguments fault(String what, Consumer<FaultyDisk> fault) {
        return Arguments.of(what, fault);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
