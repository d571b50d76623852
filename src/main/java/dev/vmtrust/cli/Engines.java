package dev.vmtrust.cli;

import dev.vmtrust.config.Config;
import dev.vmtrust.reconcile.SyncEngine;
import dev.vmtrust.ssh.SshConnector;

/** Builds a {@link SyncEngine} from a command's context and the loaded config. */
final class Engines {
    private Engines() {}

    static SyncEngine of(Context ctx, Config config) {
        return of(ctx, config, ctx.ssh().create(config.ssh()));
    }

    /** With the given connector: the agent's {@link dev.vmtrust.ssh.SessionPool}, whose sessions outlive a round. */
    static SyncEngine of(Context ctx, Config config, SshConnector ssh) {
        return new SyncEngine(config, ctx.env(), ctx.runner(), ssh, ctx.hostAgent(), ctx.clock());
    }
}
