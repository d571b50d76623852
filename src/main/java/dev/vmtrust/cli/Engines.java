package dev.vmtrust.cli;

import dev.vmtrust.config.Config;
import dev.vmtrust.reconcile.SyncEngine;

/** Builds a {@link SyncEngine} from a command's context and the loaded config. */
final class Engines {
    private Engines() {}

    static SyncEngine of(Context ctx, Config config) {
        return new SyncEngine(config, ctx.env(), ctx.runner(), ctx.ssh().create(config.ssh()), ctx.hostAgent(), ctx.clock());
    }
}
