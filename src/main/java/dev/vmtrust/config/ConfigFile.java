package dev.vmtrust.config;

import java.nio.file.Path;

/** Where the config is read from, and why: the flag or VMTRUST_CONFIG (must exist) or the default (may not). */
public record ConfigFile(Path path, Origin origin) {
    public enum Origin {
        /** {@code --config FILE} */
        FLAG,
        /** {@code $VMTRUST_CONFIG} */
        ENV,
        /** {@code $XDG_CONFIG_HOME/vmtrust/config.yaml} or {@code ~/.config/vmtrust/config.yaml} */
        DEFAULT
    }

    /** A named file (flag or environment) must exist; a missing default file means all defaults. */
    public boolean explicit() {
        return origin != Origin.DEFAULT;
    }
}
