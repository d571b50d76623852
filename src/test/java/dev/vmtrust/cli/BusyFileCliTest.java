package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 1 through the command line: a colima.yaml that another program keeps writing in place is not
 * edited; sync says so and exits 3 (the agent retries through its backoff), and the writer's content stays.
 */
class BusyFileCliTest {
    @TempDir
    Path tmp;

    @Test
    void aColimaYamlBeingWrittenIsBusyAndSyncExits3() throws Exception {
        Path yaml = tmp.resolve("colima/default/colima.yaml");
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "gen: 0\ncpu: 2\nprovision: []\n");
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        CliRun cli = new CliRun(tmp.resolve("run"))
                .config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, tmp.resolve("colima"), tmp.resolve("lima")));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int gen = 1; !stop.get(); gen++) {
                byte[] text = ("gen: " + gen + "\ncpu: 2\nprovision: []\n").getBytes(StandardCharsets.UTF_8);
                try (RandomAccessFile f = new RandomAccessFile(yaml.toFile(), "rw")) {
                    f.write(text); // over the old text, then cut to length: never an empty file (that is skipped)
                    f.setLength(text.length);
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        });
        writer.start();
        CliRun.Result r;
        try {
            r = cli.run("sync", "--json");
        } finally {
            stop.set(true);
            writer.join();
        }

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        Map<String, Object> t =
                Json.asObject(Json.asList(r.json().get("targets")).get(0));
        assertThat(t)
                .containsEntry("persisted", "failed")
                .containsEntry("error", yaml + ": busy (being written by another program), will retry");
        assertThat(Files.readString(yaml)).doesNotContain("vmtrust").startsWith("gen: ");
    }
}
