package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static dev.vmtrust.vm.provision.TestScripts.SCRIPT2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.BoundedFiles;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 items 1, 3, 7 and 8: the files vmtrust leaves as they are, and the user's edits it keeps. */
class ProvisionFileGuardsTest {
    private static final String ORIGINAL = "cpu: 2\nprovision: []\n";
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void writeTheUsersFile() throws Exception {
        file = dir.resolve("colima.yaml");
        Files.writeString(file, ORIGINAL);
        Files.setLastModifiedTime(file, LONG_AGO);
    }

    @Test
    void aFileWrittenJustNowIsBusyAndLeftAsItIs() throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        Snapshot.Quiet quiet = new Snapshot.Quiet(Duration.ofSeconds(10), Duration.ZERO);

        assertThatThrownBy(() -> new ProvisionFile(file, false, () -> {}, quiet, s -> true).upsert(SCRIPT))
                .isInstanceOf(FileBusyException.class)
                .hasMessage(file + ": busy (being written by another program), will retry");

        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("colima.yaml.vmtrust.bak")).doesNotExist();
    }

    @Test
    void anEmptyFileIsSkippedWithAMessageAndNeverBackedUp() throws Exception {
        Files.writeString(file, "");
        Files.setLastModifiedTime(file, LONG_AGO);

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(ProvisionSkipped.class)
                .hasMessage(file + " is empty; vmtrust leaves it as it is (Colima or Lima write it on start;"
                        + " vmtrust adds its entry after that)");

        assertThat(Files.size(file)).isZero();
        assertThat(dir.resolve("colima.yaml.vmtrust.bak")).doesNotExist();
    }

    @Test
    void aReadOnlyFileIsSkippedWithAMessage() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(ProvisionSkipped.class)
                .hasMessage(file + " is read-only; vmtrust leaves it as it is: make it writable (chmod u+w)"
                        + " to let vmtrust add its entry");
        assertThatThrownBy(() -> new ProvisionFile(file).diff(SCRIPT)).isInstanceOf(ProvisionSkipped.class);

        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(LONG_AGO);
    }

    @Test
    void aFileOfAnotherUserIsSkippedWithAMessage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dev.vmtrust.platform.Ownership.currentUid().orElse(1) == 0, "needs root to chown");
        Files.setAttribute(file, "unix:uid", 4242);

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(ProvisionSkipped.class)
                .hasMessageStartingWith(file + " is owned by ")
                .hasMessageEndingWith(", not by this user; vmtrust leaves it as it is: give it back to yourself"
                        + " (chown) to let vmtrust add its entry");

        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(4242);
    }

    @Test
    void aFifoOrADeviceIsRefusedWithoutBlocking() throws Exception {
        Files.delete(file);
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor())
                .isZero();
        Path zero = Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage(file + ": not a regular file (a FIFO); vmtrust reads only regular files");
        assertThatThrownBy(() -> new ProvisionFile(zero).upsert(SCRIPT))
                .isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage(zero + ": not a regular file (a character device); vmtrust reads only regular files");
    }

    @Test
    void aYamlOverTheLimitIsRefusedWithTheLimit() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(5L * 1024 * 1024);
        }
        Files.setLastModifiedTime(file, LONG_AGO);

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage(file + ": 5 MiB is over the 4 MiB limit for a provision YAML");
    }

    @Test
    void aUsersEditOfTheEntryIsKeptInABackupBeforeItIsReplaced() throws Exception {
        new ProvisionFile(file).upsert(SCRIPT);
        String edited = Files.readString(file).replace("set -eu\n", "set -eu\n      echo my own line\n");
        Files.writeString(file, edited);
        Files.setLastModifiedTime(file, LONG_AGO);
        ProvisionFile pf = new ProvisionFile(file, false, s -> s.equals(SCRIPT) || s.equals(SCRIPT2));

        assertThat(pf.upsert(SCRIPT2)).isEqualTo(ProvisionFile.Outcome.UPDATED);

        assertThat(pf.userEditBackup())
                .contains(dir.resolve("colima.yaml.vmtrust-user-edit.bak").toRealPath());
        assertThat(Files.readString(dir.resolve("colima.yaml.vmtrust-user-edit.bak")))
                .isEqualTo(edited);
        assertThat(Files.readString(dir.resolve("colima.yaml.vmtrust.bak"))).isEqualTo(ORIGINAL);
        ProvisionFile again = new ProvisionFile(file, false, s -> s.equals(SCRIPT) || s.equals(SCRIPT2));
        assertThat(again.upsert(SCRIPT)).isEqualTo(ProvisionFile.Outcome.UPDATED);
        assertThat(again.userEditBackup())
                .as("vmtrust's own entry is no user edit")
                .isEmpty();
    }

    @Test
    void aLinkedFileIsEditedAtItsTargetInTheTargetsFolder() throws Exception {
        Path dotfiles = Files.createDirectory(dir.resolve("dotfiles"));
        Path real = Files.move(file, dotfiles.resolve("colima.yaml"));
        Files.createSymbolicLink(file, Path.of("dotfiles/colima.yaml"));

        new ProvisionFile(file).upsert(SCRIPT);

        assertThat(Files.readSymbolicLink(file)).isEqualTo(Path.of("dotfiles/colima.yaml"));
        assertThat(Files.readString(real)).contains(ProvisionEditor.MARKER);
        try (var names = Files.list(dotfiles)) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("colima.yaml", "colima.yaml.vmtrust.bak");
        }
    }

    @Test
    void theYamlLimitCountsTheUsersPartNotVmtrustsEntry() throws Exception {
        String text = ProvisionEditor.upsert(ORIGINAL + "env: {}\n", SCRIPT).text();
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        long user = bytes.length - YamlBudget.entryBytes(bytes);

        assertThat(user).isEqualTo("cpu: 2\nprovision:\n  - mode: system\n    script: |\nenv: {}\n".length());
    }
}
