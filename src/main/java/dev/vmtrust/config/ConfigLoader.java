package dev.vmtrust.config;

import dev.vmtrust.platform.BoundedFiles;
import dev.vmtrust.platform.Environment;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the config: finds the file ({@link Locations#findConfig}), parses it, validates every key and
 * fills in defaults. Every problem in the file is reported at once in one {@link ConfigException}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * The config from {@code explicitFile} ({@code --config}), else {@code $VMTRUST_CONFIG}, else the
     * default location. A named file that does not exist is an error; a missing default file, or an
     * empty one, gives all defaults.
     */
    public static Config load(Optional<Path> explicitFile, Environment env) throws ConfigException {
        requireHome(env, explicitFile.orElse(null));
        ConfigFile found = new Locations(env).findConfig(explicitFile);
        Path file = found.path();
        if (!Files.exists(file)) {
            if (!found.explicit()) return Config.defaults(file, env);
            String by = found.origin() == ConfigFile.Origin.ENV ? " (named by VMTRUST_CONFIG)" : "";
            throw new ConfigException(file, List.of("config file " + file + " does not exist" + by));
        }
        return parse(file, read(file), env);
    }

    /**
     * The config given as YAML text; {@code file} names it in messages and becomes {@link Config#file()}.
     * For callers that hold the text already (tests, doctor).
     */
    public static Config parse(Path file, String yaml, Environment env) throws ConfigException {
        requireHome(env, file);
        Problems problems = new Problems(file);
        Optional<Map<?, ?>> document = YamlDocument.parse(yaml, problems);
        problems.throwIfAny();
        Config config = new ConfigReader(env, problems).read(file, document.orElseThrow());
        problems.throwIfAny();
        return config;
    }

    private static String read(Path file) throws ConfigException {
        Problems problems = new Problems(file);
        try {
            var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                problems.add("", "is a folder, not a config file");
            } else if (!attrs.isRegularFile()) {
                problems.add(
                        "",
                        "is not a regular file (" + BoundedFiles.kind(file, attrs)
                                + "); vmtrust reads only regular files");
            } else if (attrs.size() > BoundedFiles.CONFIG) {
                problems.add("", "is larger than 1 MiB; a vmtrust config is a few lines of YAML");
            } else {
                return BoundedFiles.readString(file, BoundedFiles.CONFIG, "a config file");
            }
        } catch (CharacterCodingException e) {
            problems.add("", "is not UTF-8 text");
        } catch (BoundedFiles.RefusedFileException e) {
            problems.add("", "cannot be read: " + e.getMessage());
        } catch (java.nio.file.AccessDeniedException e) {
            problems.add("", "cannot be read: permission denied");
        } catch (IOException e) {
            problems.add("", "cannot be read: " + e.getMessage());
        }
        problems.throwIfAny();
        throw new AssertionError("unreachable");
    }

    /** Defaults and {@code ~} need {@code $HOME}; without it the config cannot be resolved. */
    private static void requireHome(Environment env, Path file) throws ConfigException {
        Optional<String> home = env.get("HOME");
        if (home.isEmpty()) {
            throw new ConfigException(
                    file, List.of("HOME is not set; vmtrust needs it to find your config, Colima and Lima"));
        }
        if (!Path.of(home.get()).isAbsolute()) {
            throw new ConfigException(
                    file, List.of("HOME is " + YamlValues.quote(home.get()) + ", not an absolute path"));
        }
    }
}
