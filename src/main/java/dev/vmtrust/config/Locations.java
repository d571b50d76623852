package dev.vmtrust.config;

import dev.vmtrust.platform.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The standard places, from the environment only: {@code ~} is {@code $HOME}, never Java's user.home.
 * XDG variables are honoured only when absolute (the XDG spec says to ignore relative ones).
 */
public final class Locations {
    private final Environment env;

    public Locations(Environment env) {
        this.env = env;
    }

    /** {@code --config FILE} > {@code $VMTRUST_CONFIG} > {@code $XDG_CONFIG_HOME/vmtrust/config.yaml} > {@code ~/.config/vmtrust/config.yaml}. */
    public ConfigFile findConfig(Optional<Path> explicitFile) {
        if (explicitFile.isPresent()) {
            return new ConfigFile(explicitFile.get().toAbsolutePath(), ConfigFile.Origin.FLAG);
        }
        Optional<String> fromEnv = env.get("VMTRUST_CONFIG");
        if (fromEnv.isPresent()) {
            return new ConfigFile(env.expand(fromEnv.get()).toAbsolutePath(), ConfigFile.Origin.ENV);
        }
        return new ConfigFile(configHome().resolve("vmtrust").resolve("config.yaml"), ConfigFile.Origin.DEFAULT);
    }

    /** The path of {@link #findConfig}; it may not exist. */
    public Path configFile(Optional<Path> explicitFile) {
        return findConfig(explicitFile).path();
    }

    /** {@code $XDG_STATE_HOME/vmtrust}, else {@code ~/Library/Application Support/vmtrust} (macOS) or {@code ~/.local/state/vmtrust}. */
    public Path stateDir() {
        return xdg("XDG_STATE_HOME")
                .orElseGet(() -> env.os().stateBase(env.home()))
                .resolve("vmtrust");
    }

    /** {@code ~/Library/Logs/vmtrust} on macOS; empty elsewhere (logs go to stdout, i.e. the journal). */
    public Optional<Path> logDir() {
        return env.os().logDir(env.home());
    }

    /**
     * {@code targets.colima.home} > {@code $COLIMA_HOME} > {@code ~/.colima}; when {@code ~/.colima} does
     * not exist but {@code $XDG_CONFIG_HOME/colima} (else {@code ~/.config/colima}) does, that one (Colima's
     * own fallback).
     */
    public Path colimaHome(Config config) {
        if (config.targets().colima().home() != null)
            return config.targets().colima().home();
        Optional<String> fromEnv = env.get("COLIMA_HOME");
        if (fromEnv.isPresent()) return env.expand(fromEnv.get());
        Path dotColima = env.home().resolve(".colima");
        Path xdgColima = configHome().resolve("colima");
        return !Files.isDirectory(dotColima) && Files.isDirectory(xdgColima) ? xdgColima : dotColima;
    }

    /** The Lima home Colima uses: {@code $LIMA_HOME} if set, else {@code <colimaHome>/_lima}. */
    public Path colimaLimaHome(Config config) {
        return env.get("LIMA_HOME")
                .map(env::expand)
                .orElseGet(() -> colimaHome(config).resolve("_lima"));
    }

    /** {@code targets.lima.home} > {@code $LIMA_HOME} > {@code ~/.lima}. */
    public Path limaHome(Config config) {
        if (config.targets().lima().home() != null)
            return config.targets().lima().home();
        return env.get("LIMA_HOME").map(env::expand).orElseGet(() -> env.home().resolve(".lima"));
    }

    /** {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
    private Path configHome() {
        return xdg("XDG_CONFIG_HOME").orElseGet(() -> env.home().resolve(".config"));
    }

    private Optional<Path> xdg(String name) {
        return env.get(name).map(Path::of).filter(Path::isAbsolute);
    }
}
