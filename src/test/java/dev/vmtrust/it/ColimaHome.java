package dev.vmtrust.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A COLIMA_HOME laid out exactly like Colima's (reference colima-lima.md) around sandbox VMs:
 * {@code <short>/colima.yaml}, {@code _lima/_config/user} (the shared key), and per instance
 * {@code _lima/colima[-X]/} with Lima's {@code ssh.config} and a live {@code ha.pid}.
 */
public final class ColimaHome {
    static final String COLIMA_YAML = """
            # Number of CPUs to be allocated to the virtual machine.
            # Default: 2
            cpu: 2

            # Container runtime to be used (docker, containerd).
            # Default: docker
            runtime: docker

            # Custom provision scripts for the virtual machine.
            # Default: []
            provision: []

            docker: {}
            """;

    private final Path home;
    private final TestKeys keys;

    private ColimaHome(Path home, TestKeys keys) {
        this.home = home;
        this.keys = keys;
    }

    /** Creates the home and copies the key pair to {@code _lima/_config/user[.pub]}, as Colima does. */
    public static ColimaHome create(Path home, TestKeys keys) {
        try {
            Path cfg = Files.createDirectories(home.resolve("_lima/_config"));
            Files.copy(keys.privateKey(), cfg.resolve("user"));
            Files.copy(keys.publicKey(), cfg.resolve("user.pub"));
            return new ColimaHome(home, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    public Path key() {
        return home.resolve("_lima/_config/user");
    }

    /** Lima instance ID for a profile: default -> colima, X -> colima-X. */
    public static String instanceId(String profile) {
        return profile.equals("default") ? "colima" : "colima-" + profile;
    }

    public Path profileYaml(String profile) {
        return home.resolve(profile).resolve("colima.yaml");
    }

    public Path instanceDir(String profile) {
        return home.resolve("_lima").resolve(instanceId(profile));
    }

    /** A profile whose VM runs: ssh.config pointing at the sandbox VM's port, ha.pid = the VM's PID 1. */
    public ColimaHome running(String profile, SandboxVm vm) {
        return running(profile, vm.port(), vm.initPid());
    }

    public ColimaHome running(String profile, int port, long pid) {
        try {
            stopped(profile);
            Path dir = instanceDir(profile);
            Files.writeString(dir.resolve("ssh.config"), sshConfig(instanceId(profile), port));
            Files.writeString(dir.resolve("ha.pid"), pid + "\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A profile whose VM is stopped: colima.yaml and instance dir, no ha.pid. */
    public ColimaHome stopped(String profile) {
        try {
            Path yaml = profileYaml(profile);
            Files.createDirectories(yaml.getParent());
            if (!Files.exists(yaml)) Files.writeString(yaml, COLIMA_YAML);
            Path dir = Files.createDirectories(instanceDir(profile));
            Files.deleteIfExists(dir.resolve("ha.pid"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ssh.config as Lima writes it (quoted values). */
    String sshConfig(String id, int port) {
        Path dir = instanceDir(id.equals("colima") ? "default" : id.substring("colima-".length()));
        return "# This SSH config file can be passed to 'ssh -F'.\n"
                + "# This file is created by Lima, but not used by Lima itself currently.\n"
                + "# Modifications to this file will be lost on restarting the Lima instance.\n"
                + "Host lima-" + id + "\n"
                + "  IdentityFile \"" + key() + "\"\n"
                + "  StrictHostKeyChecking no\n"
                + "  UserKnownHostsFile /dev/null\n"
                + "  NoHostAuthenticationForLocalhost yes\n"
                + "  PreferredAuthentications publickey\n"
                + "  Compression no\n"
                + "  BatchMode yes\n"
                + "  IdentitiesOnly yes\n"
                + "  Ciphers \"^aes128-gcm@openssh.com,aes256-gcm@openssh.com\"\n"
                + "  User limauser\n"
                + "  ControlMaster auto\n"
                + "  ControlPath \"" + dir.resolve("ssh.sock") + "\"\n"
                + "  ControlPersist yes\n"
                + "  Hostname 127.0.0.1\n"
                + "  Port " + port + "\n";
    }

    TestKeys keys() {
        return keys;
    }
}
