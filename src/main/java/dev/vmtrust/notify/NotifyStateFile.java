package dev.vmtrust.notify;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.BoundedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code notify-state.json} in the state folder. A missing file is the initial state; a damaged one is
 * logged and treated as initial too (the cost is at most one repeated or skipped notification, never
 * a stopped agent). Written atomically, mode 0644, only when the content changed.
 */
public final class NotifyStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyStateFile.class);
    public static final String NAME = "notify-state.json";
    private final Path file;

    public NotifyStateFile(Path stateDir) {
        this.file = stateDir.resolve(NAME);
    }

    public Path file() {
        return file;
    }

    public NotifyState load() {
        String text;
        try {
            text = BoundedFiles.readString(file, BoundedFiles.STATE_JSON, "a notification state file");
        } catch (NoSuchFileException e) {
            return NotifyState.initial();
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}); starting notifications afresh", file, e.getMessage());
            return NotifyState.initial();
        }
        try {
            return NotifyState.fromJson(text);
        } catch (RuntimeException e) {
            LOG.warn("{} is damaged ({}); starting notifications afresh", file, e.getMessage());
            return NotifyState.initial();
        }
    }

    public void save(NotifyState state) throws IOException {
        byte[] data = (state.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        if (AtomicFiles.sameContent(file, data)) return;
        AtomicFiles.SYSTEM.write(file, data, "rw-r--r--");
    }
}
