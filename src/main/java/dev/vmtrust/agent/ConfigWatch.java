package dev.vmtrust.agent;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Tells whether the config file's bytes changed since the agent last handled them (a missing file is empty).
 * The reference moves only when a reload is {@linkplain #handled handled}: a round interrupted between noticing
 * an edit and logging its outcome leaves the edit pending, so the next agent generation still sees it.
 */
final class ConfigWatch {
    private final Path file;
    private byte[] loaded;

    ConfigWatch(Path file) {
        this.file = file;
        this.loaded = read();
    }

    /** True while the file differs from the reference, without changing it. */
    synchronized boolean differs() {
        return !Arrays.equals(read(), loaded);
    }

    /** The file's content when it differs from the reference, else empty; the reference stays. */
    synchronized Optional<byte[]> pending() {
        byte[] now = read();
        return Arrays.equals(now, loaded) ? Optional.empty() : Optional.of(now);
    }

    /** The content returned by {@link #pending} was loaded (or rejected and logged): it becomes the reference. */
    synchronized void handled(byte[] content) {
        loaded = content.clone();
    }

    private byte[] read() {
        try {
            return dev.vmtrust.platform.BoundedFiles.readBytes(
                    file, dev.vmtrust.platform.BoundedFiles.CONFIG, "a config file");
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) { // includes a file that is refused (FIFO, too large): the reload reports it
            return loaded == null ? new byte[0] : loaded; // unreadable for a moment: treat as unchanged
        }
    }
}
