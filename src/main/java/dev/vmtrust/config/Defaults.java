package dev.vmtrust.config;

import dev.vmtrust.platform.Environment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The defaults of DESIGN.md "Config"; every key a file leaves out takes its value from here. */
final class Defaults {
    static final Path KEYCHAIN_COMMAND = Path.of("/usr/bin/security");
    static final Path SYSTEM_KEYCHAIN = Path.of("/Library/Keychains/System.keychain");
    static final String LOGIN_KEYCHAIN = "~/Library/Keychains/login.keychain-db";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    static final Duration RESYNC = Duration.ofMinutes(10);
    /** Reconciling more often than this only burns SSH connections. */
    static final Duration MIN_RESYNC = Duration.ofSeconds(10);
    /** Timeouts must be positive. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    static final Config.Containers CONTAINERS = new Config.Containers(false);
    static final List<URI> PROBES =
            List.of(URI.create("https://registry-1.docker.io/v2/"), URI.create("https://pypi.org/simple/"));

    private Defaults() {}

    static List<Path> keychains(Environment env) {
        return List.of(SYSTEM_KEYCHAIN, env.expand(LOGIN_KEYCHAIN));
    }

    static Config.Keychain keychain(Environment env) {
        return new Config.Keychain(Config.Toggle.AUTO, KEYCHAIN_COMMAND, keychains(env), true);
    }

    static Config.PublicRoots publicRoots() {
        return new Config.PublicRoots(Config.PublicRoots.Kind.AUTO, null);
    }

    static Config config(Path file, Environment env) {
        return new Config(
                file,
                new Config.Sources(keychain(env), List.of(), true, Config.Toggle.AUTO, publicRoots(), true),
                List.of(),
                List.of(),
                new Config.Targets(
                        new Config.Colima(true, null, List.of(), false), new Config.Lima(true, null, List.of()), true),
                new Config.Ssh(CONNECT_TIMEOUT, COMMAND_TIMEOUT, List.of()),
                Config.RestartPolicy.AUTO,
                new Config.Notify(true, List.of()),
                RESYNC,
                new Config.Doctor(PROBES),
                CONTAINERS);
    }
}
