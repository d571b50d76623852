package dev.vmtrust.vm.provision;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another program was writing the file (its size, mtime or inode kept changing) for as long as vmtrust was
 * willing to wait: nothing was written. A failure, so that {@code sync} exits 3 and the agent retries through
 * its backoff.
 */
public final class FileBusyException extends IOException {
    public FileBusyException(Path file) {
        super(file + ": busy (being written by another program), will retry");
    }
}
