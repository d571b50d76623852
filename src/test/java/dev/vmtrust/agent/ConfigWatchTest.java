package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatchTest {
    @TempDir
    Path dir;

    @Test
    void anEditStaysPendingUntilItIsHandled() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), "resync: 10m\n");
        ConfigWatch watch = new ConfigWatch(file);
        assertThat(watch.pending()).isEmpty();
        assertThat(watch.differs()).isFalse();

        Files.writeString(file, "resync: 5m\n");
        byte[] edit = watch.pending().orElseThrow();
        // a round cut short before it handled the edit: the next look still sees it
        assertThat(watch.pending()).isPresent();
        assertThat(watch.differs()).isTrue();

        watch.handled(edit);
        assertThat(watch.pending()).isEmpty();
        assertThat(watch.differs()).isFalse();
    }

    @Test
    void onlyTheHandledContentBecomesTheReference() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), "a: 1\n");
        ConfigWatch watch = new ConfigWatch(file);
        Files.writeString(file, "a: 2\n");
        byte[] first = watch.pending().orElseThrow();
        Files.writeString(file, "a: 3\n"); // edited again while the first edit was being loaded
        watch.handled(first);
        assertThat(watch.pending())
                .hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("a: 3\n"));
    }

    @Test
    void aMissingFileIsEmpty() throws Exception {
        Path file = dir.resolve("config.yaml");
        ConfigWatch watch = new ConfigWatch(file);
        assertThat(watch.pending()).isEmpty();
        Files.writeString(file, "resync: 1m\n");
        assertThat(watch.pending()).isPresent();
        Files.delete(file);
        assertThat(watch.pending()).isEmpty();
    }
}
