package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.StderrCapture;
import dev.vmtrust.testing.TestCerts;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue item 6: broken target layouts, one profile each, through {@code sync --json}. None of them needs a VM:
 * each fails (or is skipped) before any SSH session, with a message naming the file and the next step; the
 * others are not held up. The running-VM case (invalid colima.yaml, live push still done) is in BadInputIT.
 */
class TargetLayoutCliTest {
    private static final String YAML = "cpu: 2\nprovision: []\n";

    @TempDir
    Path tmp;

    private Path colima() {
        return tmp.resolve("colima");
    }

    private Path instance(String profile) {
        return colima().resolve("_lima/colima-" + profile);
    }

    private void profile(String name, String yaml, Long pid, String sshConfig) throws Exception {
        Files.createDirectories(colima().resolve(name));
        Files.writeString(colima().resolve(name).resolve("colima.yaml"), yaml);
        Path dir = Files.createDirectories(instance(name));
        if (pid != null) Files.writeString(dir.resolve("ha.pid"), pid + "\n");
        if (sshConfig != null) Files.writeString(dir.resolve("ssh.config"), sshConfig);
    }

    private static String ssh(String host, String port, Path key) {
        return "Host lima\n  IdentityFile \"" + key + "\"\n  User limauser\n  Hostname " + host + "\n"
                + (port == null ? "" : "  Port " + port + "\n");
    }

    @Test
    void eachBrokenLayoutFailsAloneWithItsReasonAndSyncExits3() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), corp.pem());
        Path key = tmp.resolve("user");
        assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                        .start()
                        .waitFor())
                .isZero();
        long me = ProcessHandle.current().pid();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String broken = "cpu: 2\nprovision: [\n  - mode: system\n";
        profile("nossh", YAML, me, null);
        profile("noport", YAML, me, ssh("127.0.0.1", null, key));
        profile("nokey", YAML, me, ssh("127.0.0.1", "2222", tmp.resolve("missing-key")));
        profile("dirkey", YAML, me, ssh("127.0.0.1", "2222", tmp));
        profile("stale", YAML, gone.pid(), ssh("127.0.0.1", "2222", key));
        profile("remote", YAML, me, ssh("10.0.0.7", "22", key));
        profile("allowed", YAML, me, ssh("0.0.0.0", Integer.toString(closed), key));
        profile("broken", broken, null, null);
        Files.createDirectories(tmp.resolve("lima/half"));
        CliRun cli = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                ssh: {allowHosts: [0.0.0.0], connectTimeout: 2s}
                """.formatted(caFile, colima(), tmp.resolve("lima")));

        CliRun.Result r;
        String log;
        try (StderrCapture capture = new StderrCapture()) {
            r = cli.run("sync", "--json");
            log = capture.text();
        }

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Object t : Json.asList(r.json().get("targets")))
            byName.put((String) Json.asObject(t).get("name"), Json.asObject(t));
        assertThat(byName.keySet())
                .containsExactly(
                        "colima/allowed",
                        "colima/broken",
                        "colima/dirkey",
                        "colima/nokey",
                        "colima/noport",
                        "colima/nossh",
                        "colima/remote",
                        "colima/stale");
        String fix = "; Lima rewrites this file on every start; try: colima restart noport";
        assertThat(byName.get("colima/nossh"))
                .containsEntry("state", "unreachable")
                .containsEntry(
                        "error",
                        instance("nossh").resolve("ssh.config")
                                + ": no ssh.config; is the VM running? try: colima start nossh");
        assertThat(byName.get("colima/noport"))
                .containsEntry("state", "unreachable")
                .containsEntry("error", instance("noport").resolve("ssh.config") + ": no Port" + fix);
        assertThat(byName.get("colima/nokey"))
                .containsEntry(
                        "error",
                        instance("nokey").resolve("ssh.config") + ": IdentityFile " + tmp.resolve("missing-key")
                                + " does not exist; try: colima restart nokey");
        assertThat(byName.get("colima/dirkey"))
                .containsEntry(
                        "error",
                        instance("dirkey").resolve("ssh.config") + ": IdentityFile " + tmp
                                + " is not a readable file for this user; check its owner and permissions");
        assertThat(byName.get("colima/stale"))
                .containsEntry("state", "stopped")
                .containsEntry("result", "skipped")
                .containsEntry("persisted", "updated")
                .containsEntry("error", null);
        assertThat(byName.get("colima/remote"))
                .containsEntry("result", "failed")
                .containsEntry(
                        "error",
                        "colima/remote: ssh.config points at 10.0.0.7, which is not loopback; vmtrust only connects to"
                                + " loopback unless you add it to ssh.allowHosts in the config");
        assertThat(byName.get("colima/allowed"))
                .as("an allowed host is tried")
                .containsEntry(
                        "error",
                        "colima/allowed: cannot reach the VM over SSH (0.0.0.0:" + closed
                                + "): connection refused; is it running? try: colima start allowed");
        Path brokenYaml = colima().resolve("broken/colima.yaml");
        assertThat(byName.get("colima/broken"))
                .containsEntry("state", "stopped")
                .containsEntry("result", "skipped")
                .containsEntry("persisted", "failed");
        assertThat(byName.get("colima/broken"))
                .containsEntry(
                        "error",
                        brokenYaml + " line 3, column 3: invalid YAML:"
                                + " expected the node content, but found '-'; fix the file, vmtrust will not edit it");
        assertThat(Files.readString(brokenYaml))
                .as("an invalid file is left as it was")
                .isEqualTo(broken);
        assertThat(Files.exists(brokenYaml.resolveSibling("colima.yaml.vmtrust.bak")))
                .isFalse();
        for (String p : List.of("nossh", "noport", "nokey", "dirkey", "remote", "allowed")) {
            assertThat(byName.get("colima/" + p))
                    .as(p)
                    .containsEntry("result", "failed")
                    .containsEntry("persisted", "updated");
        }
        assertThat(log)
                .contains("lima: " + tmp.resolve("lima/half")
                        + " has no lima.yaml; skipped (not an instance, or a broken one)");
    }
}
