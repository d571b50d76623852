package dev.vmtrust.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole configuration, defaults filled in, paths absolute and {@code ~}-expanded.
 * Shape and defaults: DESIGN.md "Config". {@code file} is the file it came from (may not exist).
 * The YAML key {@code notify} is the component {@code notifications} (a record cannot have a notify()).
 */
public record Config(
        Path file,
        Sources sources,
        List<String> include,
        List<String> exclude,
        Targets targets,
        Ssh ssh,
        RestartPolicy restart,
        Notify notifications,
        Duration resync,
        Doctor doctor,
        Containers containers) {

    /** Every key but {@code containers}, which takes its default (off). */
    public Config(
            Path file,
            Sources sources,
            List<String> include,
            List<String> exclude,
            Targets targets,
            Ssh ssh,
            RestartPolicy restart,
            Notify notifications,
            Duration resync,
            Doctor doctor) {
        this(
                file,
                sources,
                include,
                exclude,
                targets,
                ssh,
                restart,
                notifications,
                resync,
                doctor,
                Defaults.CONTAINERS);
    }

    /**
     * Every key at its default, as if {@code file} did not exist; {@code ~} expands from the
     * environment's {@code $HOME} (which must be set).
     */
    public static Config defaults(Path file, dev.vmtrust.platform.Environment env) {
        return Defaults.config(file, env);
    }

    public enum Toggle {
        AUTO,
        ON,
        OFF
    }

    public enum RestartPolicy {
        AUTO,
        ALWAYS,
        NEVER;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code host}: the Linux host store's locally added anchors; {@code auto} = on for a Linux host, off elsewhere. */
    public record Sources(
            Keychain keychain,
            List<Path> files,
            boolean vendorFiles,
            Toggle host,
            PublicRoots publicRoots,
            boolean excludePublic) {}

    /** {@code enabled: auto} = on when {@code command} exists and is executable. */
    public record Keychain(Toggle enabled, Path command, List<Path> keychains, boolean trustedOnly) {}

    /**
     * {@code auto}: the Mozilla set the VMs ship (Linux host: the distro's shipped set, never the merged bundle;
     * macOS: Homebrew's ca-certificates, Apple's SystemRootCertificates as the fallback); {@code file}: a PEM file; {@code none}.
     */
    public record PublicRoots(Kind kind, Path file) {
        public enum Kind {
            AUTO,
            FILE,
            NONE
        }
    }

    public record Targets(Colima colima, Lima lima, boolean persist) {}

    /** {@code home == null}: COLIMA_HOME, else the default. {@code profiles} empty = all. */
    public record Colima(boolean enabled, Path home, List<String> profiles, boolean createTemplate) {}

    /** {@code home == null}: LIMA_HOME, else ~/.lima. {@code instances} empty = all. */
    public record Lima(boolean enabled, Path home, List<String> instances) {}

    /** Loopback is always allowed; {@code allowHosts} lists other SSH hosts the user accepts. */
    public record Ssh(Duration connectTimeout, Duration commandTimeout, List<String> allowHosts) {}

    /** {@code command}: argv run with the event JSON on stdin; empty = none. */
    public record Notify(boolean desktop, List<String> command) {}

    public record Doctor(List<URI> probes) {}

    /**
     * {@code inject}: every docker container and build step in the VMs trusts the CA set, without a Dockerfile
     * change (an OCI runtime wrapper in the VM; README "Containers and builds"). Off by default.
     */
    public record Containers(boolean inject) {}
}
