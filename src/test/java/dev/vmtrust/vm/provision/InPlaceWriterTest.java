package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static dev.vmtrust.vm.provision.TestScripts.SCRIPT2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 1: a program that saves colima.yaml in place (Go's os.WriteFile: truncate, then write, as
 * Colima does) never loses a write to vmtrust's edits, and vmtrust never backs up a half-written file. The
 * writer here is slow on purpose: it writes a head, pauses 50 ms, then writes the tail.
 */
class InPlaceWriterTest {
    private static final int WRITES = 30;
    private static final Pattern GEN = Pattern.compile("(?m)^gen: (\\d+)$");

    @TempDir
    Path dir;

    @Test
    void anInPlaceWriterNeverLosesAWriteAndTheBackupIsNeverEmpty() throws Exception {
        Path file = dir.resolve("colima.yaml");
        Files.writeString(file, "gen: 0\ncpu: 2\nprovision: []\nenv: {}\n");
        AtomicBoolean done = new AtomicBoolean();
        List<String> lost = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int gen = 1; gen <= WRITES; gen++) {
                    Matcher m = GEN.matcher(Files.readString(file));
                    if (!m.find() || Integer.parseInt(m.group(1)) != gen - 1) {
                        lost.add("write " + (gen - 1) + " lost, the file says " + (m.find(0) ? m.group() : "nothing"));
                    }
                    // re-rendered from the writer's own config, as colima start does
                    writeInPlace(file, "gen: " + gen + "\ncpu: 2\nprovision: []\nenv: {}\n");
                    Thread.sleep(ThreadLocalRandom.current().nextInt(400));
                }
            } catch (IOException | InterruptedException e) {
                lost.add("writer failed: " + e);
            } finally {
                done.set(true);
            }
        });
        writer.start();
        AtomicInteger edits = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        List<String> emptyBackups = new ArrayList<>();
        Path backup = dir.resolve("colima.yaml.vmtrust.bak");
        for (int i = 0; !done.get(); i++) {
            try {
                if (new ProvisionFile(file).upsert(i % 2 == 0 ? SCRIPT : SCRIPT2) != ProvisionFile.Outcome.UNCHANGED) {
                    edits.incrementAndGet();
                }
            } catch (IOException | ProvisionYamlException e) {
                busy.incrementAndGet(); // busy, or a half-written file that does not parse: nothing written
            }
            if (Files.exists(backup) && Files.size(backup) == 0) emptyBackups.add("after edit " + i);
        }
        writer.join();

        assertThat(lost)
                .as("writes of the other program lost (" + edits + " edits, " + busy + " refused)")
                .isEmpty();
        assertThat(emptyBackups).isEmpty();
        assertThat(edits.get()).as("vmtrust edited between the writes").isGreaterThan(0);
        assertThat(Files.readString(backup)).startsWith("gen: ");
    }

    /** Like Go's os.WriteFile: open with O_TRUNC, write, but slowly: head, 50 ms, tail. */
    private static void writeInPlace(Path file, String text) throws IOException, InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0);
            f.write(bytes, 0, bytes.length / 2);
            Thread.sleep(50);
            f.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        }
    }
}
