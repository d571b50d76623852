package dev.vmtrust.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {
    @TempDir
    Path dir;

    @Test
    void aKilledWritersTempFileIsRemovedAndALiveWritersIsKept() throws Exception {
        Path dead = Files.createFile(dir.resolve(".status.json.2147483646-abc.tmp"));
        Path live = Files.createFile(
                dir.resolve(".status.json." + ProcessHandle.current().pid() + "-abc.tmp"));
        Path other = Files.createFile(dir.resolve(".bundle.pem.2147483646-abc.tmp"));
        Path user = Files.createFile(dir.resolve("status.json.2147483646-abc.tmp"));

        Path created = TempFiles.create(Disk.SYSTEM, dir, "status.json", TempFiles.SUFFIX);

        assertThat(dead).doesNotExist();
        assertThat(live).exists();
        assertThat(other)
                .as("another target's temp is swept only when that target is written")
                .exists();
        assertThat(user).as("not ours: no leading dot").exists();
        assertThat(created.getFileName().toString())
                .startsWith(".status.json." + ProcessHandle.current().pid() + "-")
                .endsWith(".tmp");
    }
}
