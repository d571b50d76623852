package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static dev.vmtrust.vm.provision.TestScripts.SCRIPT2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.vm.provision.ProvisionFile.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionFileTest {
    private static final String ORIGINAL = "# my profile\ncpu: 2\nprovision: []\nenv: {}\n";
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void writeTheUsersFile() throws IOException {
        file = dir.resolve("colima.yaml");
        Files.writeString(file, ORIGINAL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(file, LONG_AGO);
    }

    @Test
    void upsertWritesTheEditAndKeepsTheModeAndABackup() throws Exception {
        assertThat(new ProvisionFile(file).upsert(SCRIPT)).isEqualTo(Outcome.UPDATED);

        assertThat(Files.readString(file))
                .isEqualTo(ProvisionEditor.upsert(ORIGINAL, SCRIPT).text());
        assertThat(mode(file)).isEqualTo("rw-r-----");
        Path backup = dir.resolve("colima.yaml.vmtrust.bak");
        assertThat(Files.readString(backup)).isEqualTo(ORIGINAL);
        assertThat(mode(backup)).isEqualTo("rw-r-----");
        assertThat(new ProvisionFile(file).backupPath()).isEqualTo(backup.toRealPath());
        assertThat(onlyFiles()).containsExactlyInAnyOrder("colima.yaml", "colima.yaml.vmtrust.bak");
    }

    @Test
    void theSameScriptAgainWritesNothing() throws Exception {
        new ProvisionFile(file).upsert(SCRIPT);
        Files.setLastModifiedTime(file, LONG_AGO);
        byte[] before = Files.readAllBytes(file);

        assertThat(new ProvisionFile(file).upsert(SCRIPT)).isEqualTo(Outcome.UNCHANGED);

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(LONG_AGO);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(new ProvisionFile(file).diff(SCRIPT)).isEmpty();
    }

    @Test
    void laterEditsNeverOverwriteTheFirstBackup() throws Exception {
        new ProvisionFile(file).upsert(SCRIPT);

        assertThat(new ProvisionFile(file).upsert(SCRIPT2)).isEqualTo(Outcome.UPDATED);
        assertThat(new ProvisionFile(file).remove()).isEqualTo(Outcome.REMOVED);

        assertThat(Files.readString(dir.resolve("colima.yaml.vmtrust.bak"))).isEqualTo(ORIGINAL);
        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
    }

    @Test
    void aPrivateFileStaysPrivate() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        new ProvisionFile(file).upsert(SCRIPT);

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("colima.yaml.vmtrust.bak"))).isEqualTo("rw-------");
    }

    @Test
    void removeReportsAbsentWhenThereIsNoEntryOrNoFile() throws Exception {
        assertThat(new ProvisionFile(file).remove()).isEqualTo(Outcome.ABSENT);
        assertThat(new ProvisionFile(dir.resolve("nope.yaml")).remove()).isEqualTo(Outcome.ABSENT);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(LONG_AGO);
        assertThat(onlyFiles()).containsExactly("colima.yaml");
    }

    @Test
    void aMissingFileIsAnErrorUnlessCreationIsAsked() throws Exception {
        Path missing = dir.resolve("_templates/default.yaml");

        assertThatThrownBy(() -> new ProvisionFile(missing).upsert(SCRIPT))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing + ": no such file; start the instance once so that it is created,"
                        + " then run vmtrust again");
        assertThat(new ProvisionFile(missing, true).diff(SCRIPT))
                .startsWith("--- /dev/null\n+++ " + missing + "\n@@ -0,0 +1,19 @@\n+provision:\n");
        assertThat(new ProvisionFile(missing, true).upsert(SCRIPT)).isEqualTo(Outcome.CREATED);

        assertThat(Files.readString(missing))
                .isEqualTo(ProvisionEditor.upsert("", SCRIPT).text());
        assertThat(mode(missing)).isEqualTo("rw-r--r--");
        assertThat(Files.exists(dir.resolve("_templates/default.yaml.vmtrust.bak")))
                .isFalse();
    }

    @Test
    void invalidYamlIsReportedWithTheFileAndLeftUntouched() throws Exception {
        Files.writeString(file, "cpu: 2\nmemory: 4\nprovision:\n  mode: system\n");
        Files.setLastModifiedTime(file, LONG_AGO);

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(ProvisionYamlException.class)
                .hasMessage(file.toRealPath() + " line 4, column 3: \"provision\" is a mapping, expected a"
                        + " list; fix the file, vmtrust will not edit it");
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(LONG_AGO);
        assertThat(onlyFiles()).containsExactly("colima.yaml");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirPosition() throws Exception {
        Files.write(file, "cpu: 2\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> new ProvisionFile(file).upsert(SCRIPT))
                .isInstanceOf(ProvisionYamlException.class)
                .hasMessage(file.toRealPath() + " line 2, column 6: the file is not valid UTF-8; save it"
                        + " as UTF-8, vmtrust will not edit it");
    }

    @Test
    void aWriterThatChangesTheFileBeforeTheRenameLosesNothing() throws Exception {
        String rerendered = "# re-rendered by colima start\ncpu: 8\nprovision: []\nenv: {}\n";
        AtomicInteger calls = new AtomicInteger();
        Runnable colimaStart = () -> {
            if (calls.getAndIncrement() == 0) {
                write(file, rerendered);
            }
        };

        assertThat(new ProvisionFile(file, false, colimaStart).upsert(SCRIPT)).isEqualTo(Outcome.UPDATED);

        assertThat(calls).hasValue(2);
        assertThat(Files.readString(file))
                .isEqualTo(ProvisionEditor.upsert(rerendered, SCRIPT).text());
        assertThat(Files.readString(dir.resolve("colima.yaml.vmtrust.bak"))).isEqualTo(rerendered);
        assertThat(onlyFiles()).containsExactlyInAnyOrder("colima.yaml", "colima.yaml.vmtrust.bak");
    }

    @Test
    void aFileThatNeverStopsChangingIsLeftToTheOtherWriter() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Runnable busy = () -> write(file, "cpu: " + calls.incrementAndGet() + "\n");

        assertThatThrownBy(() -> new ProvisionFile(file, false, busy).upsert(SCRIPT))
                .isInstanceOf(IOException.class)
                .isInstanceOf(FileBusyException.class)
                .hasMessage(file + ": busy (being written by another program), will retry");

        assertThat(Files.readString(file)).isEqualTo("cpu: 5\n");
        assertThat(onlyFiles()).containsExactly("colima.yaml");
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws Exception {
        Path dotfiles = Files.createDirectory(dir.resolve("dotfiles"));
        Path real = Files.move(file, dotfiles.resolve("colima.yaml"));
        Files.createSymbolicLink(file, real);

        assertThat(new ProvisionFile(file).upsert(SCRIPT)).isEqualTo(Outcome.UPDATED);

        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(Files.readString(real))
                .isEqualTo(ProvisionEditor.upsert(ORIGINAL, SCRIPT).text());
        assertThat(Files.readString(dotfiles.resolve("colima.yaml.vmtrust.bak")))
                .isEqualTo(ORIGINAL);
    }

    @Test
    void diffShowsWhatUpsertAndRemoveWouldWrite() throws Exception {
        Files.writeString(file, "cpu: 2\nprovision:\n  - mode: user\n    script: echo\nenv: {}\n");
        Files.setLastModifiedTime(file, LONG_AGO);
        String small = ProvisionEditor.MARKER + "\necho hi\n";

        assertThat(new ProvisionFile(file).diff(small))
                .isEqualTo("--- " + file + "\n+++ " + file
                        + "\n@@ -2,4 +2,8 @@\n provision:\n   - mode: user\n     script: echo\n"
                        + "+  - mode: system\n+    script: |\n+      " + ProvisionEditor.MARKER
                        + "\n+      echo hi\n env: {}\n");
        assertThat(new ProvisionFile(file).removeDiff()).isEmpty();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(LONG_AGO);
        assertThat(onlyFiles()).containsExactly("colima.yaml");
    }

    @Test
    void currentScriptReadsTheFile() throws Exception {
        assertThat(new ProvisionFile(file).currentScript()).isEmpty();
        new ProvisionFile(file).upsert(SCRIPT);
        assertThat(new ProvisionFile(file).currentScript()).contains(SCRIPT);
        assertThat(new ProvisionFile(dir.resolve("nope.yaml")).currentScript()).isEmpty();
    }

    @Test
    void aByteOrderMarkAndCrLfAreKept() throws Exception {
        Files.write(file, "\uFEFFcpu: 2\r\nprovision: []\r\n".getBytes(StandardCharsets.UTF_8));

        new ProvisionFile(file).upsert(SCRIPT);

        String text = Files.readString(file);
        assertThat(text).startsWith("\uFEFFcpu: 2\r\nprovision:\r\n  - mode: system\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** Names of the regular files in dir: no temp file may be left behind. */
    private List<String> onlyFiles() throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.filter(p -> !Files.isDirectory(p))
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }

    private static void write(Path path, String text) {
        try {
            Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
