package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgeFilesTest {
    @TempDir
    Path tmp;

    private Path touch(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "x");
    }

    @Test
    void onlyVmtrustsOwnFilesAreRemovedAndAFolderOnlyWhenItIsThenEmpty() throws Exception {
        Path app = tmp.resolve("Library/Application Support/vmtrust"); // macOS: state and install folder in one
        Path logs = tmp.resolve("Library/Logs/vmtrust");
        for (String n : List.of(
                "status.json",
                "ca-set.pem",
                "bundle.pem",
                "notify-state.json",
                "lock",
                "vmtrust",
                "vmtrust.jar",
                "java.path",
                "vmtrust.jsa",
                ".status.json.4242-ab12.tmp")) touch(app.resolve(n));
        touch(logs.resolve("vmtrust.log"));
        touch(logs.resolve("vmtrust.1.log"));
        Path users = touch(logs.resolve("notes.txt"));

        List<Path> removed = PurgeFiles.remove(app, Optional.of(logs), Optional.of(app.resolve("vmtrust")));

        assertThat(app).doesNotExist();
        assertThat(removed)
                .contains(app, app.resolve("vmtrust.jar"), logs.resolve("vmtrust.1.log"))
                .doesNotContain(logs);
        assertThat(users).exists();
        assertThat(logs.resolve("vmtrust.log")).doesNotExist();
    }

    @Test
    void aLauncherOutsideAnInstallFolderIsNotRemoved() throws Exception {
        Path checkout = tmp.resolve("src/vmtrust/scripts");
        Path launcher = touch(checkout.resolve("vmtrust"));

        assertThat(PurgeFiles.remove(tmp.resolve("state"), Optional.empty(), Optional.of(launcher)))
                .isEmpty();
        assertThat(launcher).exists();
    }
}
