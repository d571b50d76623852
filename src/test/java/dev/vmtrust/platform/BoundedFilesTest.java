package dev.vmtrust.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 3: the one bounded reader. */
class BoundedFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileUpToItsLimitIsReadAndOneByteMoreIsRefusedNamingTheLimit() throws Exception {
        Path f = Files.write(dir.resolve("ha.pid"), new byte[4096]);
        assertThat(BoundedFiles.readBytes(f, 4096, "a PID file")).hasSize(4096);

        Files.write(f, new byte[4097]);
        assertThatThrownBy(() -> BoundedFiles.readBytes(f, 4096, "a PID file"))
                .isInstanceOf(BoundedFiles.RefusedFileException.class)
                .hasMessage(f + ": 4097 bytes is over the 4 KiB limit for a PID file");
    }

    @Test
    void aFifoAFolderAndAMissingFileAreRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> BoundedFiles.readString(link, 100, "an ssh.config"))
                    .hasMessage(link + ": not a regular file (a FIFO); vmtrust reads only regular files");
            assertThatThrownBy(() -> BoundedFiles.readString(dir, 100, "an ssh.config"))
                    .hasMessage(dir + ": not a regular file (a directory); vmtrust reads only regular files");
        });
        assertThatThrownBy(() -> BoundedFiles.readString(dir.resolve("nope"), 100, "an ssh.config"))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void textMustBeUtf8() throws Exception {
        Path f = Files.write(dir.resolve("config.yaml"), new byte[] {'a', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> BoundedFiles.readString(f, 100, "a config file"))
                .isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void sizesAreShownInBinaryUnits() {
        assertThat(BoundedFiles.size(1)).isEqualTo("1 byte");
        assertThat(BoundedFiles.size(812)).isEqualTo("812 bytes");
        assertThat(BoundedFiles.size(256 * 1024)).isEqualTo("256 KiB");
        assertThat(BoundedFiles.size(3L << 30)).isEqualTo("3 GiB");
        assertThat(BoundedFiles.size(1536L * 1024 * 1024)).isEqualTo("1.5 GiB");
    }
}
