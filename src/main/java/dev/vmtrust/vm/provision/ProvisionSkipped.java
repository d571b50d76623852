package dev.vmtrust.vm.provision;

import java.io.IOException;

/**
 * A file vmtrust leaves as it is on purpose (empty, read-only, owned by another user): not a failure; the
 * message says why and what the user can do.
 */
public final class ProvisionSkipped extends IOException {
    public ProvisionSkipped(String message) {
        super(message);
    }
}
