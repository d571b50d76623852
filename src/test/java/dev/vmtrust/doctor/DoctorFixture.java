package dev.vmtrust.doctor;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigException;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.platform.CommandException;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.FakeRemoteShell;
import dev.vmtrust.ssh.FakeSshConnector;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.VmLiveness;
import dev.vmtrust.vm.provision.ProvisionFile;
import dev.vmtrust.vm.script.VmScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A private HOME with a Colima home, one corporate CA in a file, fakes for SSH, host agent liveness, the
 * TLS probe and the agent status. No command ever runs on the host (the runner refuses), no network.
 */
final class DoctorFixture {
    static final TestCerts.Issued CA = TestCerts.rootCa("CN=Corp Root,O=Corp");
    static final CaBundle SET = CaBundle.of(List.of(CA.cert()));
    static final String SCRIPT = VmScript.render(SET);
    static final String FP = SET.fingerprint();
    static final String PROBE_URL = "https://127.0.0.1:9/v2/";

    final Path root;
    final Environment env;
    final Path caFile;
    final Path colima;
    final FakeSshConnector ssh = new FakeSshConnector();
    final Set<Long> alive = ConcurrentHashMap.newKeySet();
    final Instant now = Instant.now();
    TlsProbe tls = (u, s) ->
            new TlsProbeResult(TlsProbeResult.Outcome.TRUSTED_BY_SET, "HTTP 200", "CN=Corp Root,O=Corp", null);
    AgentStatus agent = () ->
            new AgentStatus.Snapshot(true, Path.of("/u/vmtrust.service"), true, true, "systemd says active", null);
    private long nextPid = 1000;

    DoctorFixture(Path root) {
        this.root = root;
        this.env = new Environment(
                Map.of(
                        "HOME",
                        root.resolve("home").toString(),
                        "XDG_CONFIG_HOME",
                        root.resolve("config").toString(),
                        "XDG_STATE_HOME",
                        root.resolve("state").toString()),
                Os.LINUX);
        this.caFile = write(root.resolve("corp.pem"), CA.pem());
        this.colima = root.resolve("colima");
        write(colima.resolve("_lima/_config/user"), "not a real key; doctor only checks that it is readable\n");
    }

    Path configFile() {
        return root.resolve("config/vmtrust/config.yaml");
    }

    /** The config with one CA file, no keychain, vendor files or public roots, the Colima home, and {@code extra} YAML. */
    Config config(String extra) {
        return config(extra, caFile);
    }

    /** Like {@link #config(String)} with these CA files instead. */
    Config config(String extra, Path... files) {
        String list =
                java.util.Arrays.stream(files).map(Path::toString).collect(java.util.stream.Collectors.joining(", "));
        String yaml =
                "sources: {keychain: {enabled: false}, vendorFiles: false, host: false, publicRoots: none, files: ["
                        + list + "]}\n"
                        + "targets: {colima: {home: " + colima + "}, lima: {home: " + root.resolve("lima") + "}}\n"
                        + "doctor: {probes: [\"" + PROBE_URL + "\"]}\n" + extra;
        try {
            return ConfigLoader.parse(configFile(), yaml, env);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    Config config() {
        return config("");
    }

    Doctor doctor() {
        return new Doctor(new Doctor.Parts(
                env,
                (argv, stdin, timeout) -> {
                    throw new CommandException("no host commands in unit tests: " + argv);
                },
                cfg -> ssh,
                new VmLiveness(alive::contains),
                Clock.fixed(now, ZoneOffset.UTC),
                (u, s) -> tls.probe(u, s),
                () -> agent.status()));
    }

    List<Check> run() {
        return doctor().run(config());
    }

    Path profileYaml(String profile) {
        return colima.resolve(profile).resolve("colima.yaml");
    }

    Path instanceDir(String profile) {
        return colima.resolve("_lima").resolve(profile.equals("default") ? "colima" : "colima-" + profile);
    }

    /** A stopped profile: colima.yaml (without our entry) and its instance dir, no ha.pid. */
    DoctorFixture stopped(String profile) {
        if (!Files.exists(profileYaml(profile))) write(profileYaml(profile), "cpu: 2\nprovision: []\n");
        try {
            Files.createDirectories(instanceDir(profile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A running profile: Lima's ssh.config for 127.0.0.1:{@code port} and a live ha.pid. */
    DoctorFixture running(String profile, int port) {
        stopped(profile);
        long pid = nextPid++;
        alive.add(pid);
        write(instanceDir(profile).resolve("ha.pid"), pid + "\n");
        write(
                instanceDir(profile).resolve("ssh.config"),
                "Host lima-x\n  IdentityFile \"" + colima.resolve("_lima/_config/user")
                        + "\"\n  User limauser\n  Hostname 127.0.0.1\n  Port " + port + "\n");
        return this;
    }

    /** Writes vmtrust's provision entry for {@code script} into the profile's colima.yaml. */
    DoctorFixture persisted(String profile, String script) {
        try {
            new ProvisionFile(profileYaml(profile)).upsert(script);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** The fake VM answers observe with {@code observe} (exit, stdout, stderr) and the probe script with {@code probes}. */
    FakeRemoteShell vm(String target, ExecResult observe, String probes) {
        return ssh.shell(target)
                .otherwise(call -> call.command().startsWith("sudo -n ") ? observe : new ExecResult(0, probes, ""));
    }

    /** Observe output of a VM that holds exactly the set. */
    static ExecResult inSync(String... extraLines) {
        StringBuilder sb = new StringBuilder("vmtrust: distro debian\nvmtrust: stamp " + FP + "\nvmtrust: file "
                + CA.cert().fp16() + "\n" + "vmtrust: engines docker\n");
        for (String l : extraLines) sb.append(l).append('\n');
        return new ExecResult(
                0, sb.append("vmtrust: done ").append(FP).append('\n').toString(), "");
    }

    static final String TOOL_OK_PROBE_OK = "vmtrust: tool update-ca-certificates found\nvmtrust: probe 1 0 \n";

    static String lines(List<Check> checks, String target) {
        StringBuilder sb = new StringBuilder();
        for (Check c : checks)
            if (target.equals(c.target())) sb.append(CheckText.line(c)).append('\n');
        return sb.toString();
    }

    static Path write(Path f, String text) {
        try {
            Files.createDirectories(f.getParent());
            return Files.writeString(f, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
