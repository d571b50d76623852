package dev.vmtrust.reconcile;

import java.io.IOException;

/** The state folder or its lock is not one vmtrust may use (another user's, writable by others, a link, a FIFO). */
public final class StateFolderException extends IOException {
    public StateFolderException(String message) {
        super(message);
    }
}
