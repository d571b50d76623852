package dev.vmtrust.agent;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** Tells whether the config file's bytes changed since the agent loaded it (a missing file is empty). */
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

    /** True once per change: the new content becomes the reference. */
    synchronized boolean changed() {
        byte[] now = read();
        if (Arrays.equals(now, loaded)) return false;
        loaded = now;
        return true;
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
