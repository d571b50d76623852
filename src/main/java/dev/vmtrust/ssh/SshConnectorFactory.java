package dev.vmtrust.ssh;

import dev.vmtrust.config.Config;

/** Builds the connector for a config's SSH settings (real: a {@code JschConnector} with the system resolver; tests: a fake). */
@FunctionalInterface
public interface SshConnectorFactory {
    SshConnector create(Config.Ssh ssh);
}
