package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 3: files that are not what they seem (a FIFO, a link to /dev/zero, a 3 GiB key) behind ha.pid,
 * ssh.config, colima.yaml, the IdentityFile, the config and the state files. Each is refused at once, from its
 * attributes, with a message naming it; one bad profile fails alone and the others are synced.
 */
class HostileFilesCliTest {
    private static final String YAML = "cpu: 2\nprovision: []\n";

    @TempDir
    Path tmp;

    private Path colima() {
        return tmp.resolve("colima");
    }

    private Path instance(String profile) {
        return colima().resolve("_lima/colima-" + profile);
    }

    private Path profile(String name) throws Exception {
        Files.createDirectories(colima().resolve(name));
        Files.writeString(colima().resolve(name).resolve("colima.yaml"), YAML);
        return Files.createDirectories(instance(name));
    }

    private static void fifo(Path p) throws Exception {
        Files.deleteIfExists(p);
        assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
    }

    private CliRun cli() throws Exception {
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                ssh: {connectTimeout: 2s}
                """.formatted(caFile, colima(), tmp.resolve("lima")));
    }

    @Test
    void fifosDevicesAndAHugeKeyFailTheirProfileAloneAtOnceWithTheirReason() throws Exception {
        long me = ProcessHandle.current().pid();
        String ssh = "Host lima\n  IdentityFile \"%s\"\n  User limauser\n  Hostname 127.0.0.1\n  Port 2222\n";
        fifo(profile("fifopid").resolve("ha.pid"));
        Files.createSymbolicLink(profile("zeropid").resolve("ha.pid"), Path.of("/dev/zero"));
        Files.writeString(profile("fifossh").resolve("ha.pid"), me + "\n");
        fifo(instance("fifossh").resolve("ssh.config"));
        Files.writeString(profile("zerossh").resolve("ha.pid"), me + "\n");
        Files.createSymbolicLink(instance("zerossh").resolve("ssh.config"), Path.of("/dev/zero"));
        Path key = tmp.resolve("huge-key");
        try (RandomAccessFile f = new RandomAccessFile(key.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse
        }
        Files.writeString(profile("hugekey").resolve("ha.pid"), me + "\n");
        Files.writeString(instance("hugekey").resolve("ssh.config"), ssh.formatted(key));
        profile("fifoyaml");
        fifo(colima().resolve("fifoyaml/colima.yaml"));
        profile("zeroyaml");
        Files.delete(colima().resolve("zeroyaml/colima.yaml"));
        Files.createSymbolicLink(colima().resolve("zeroyaml/colima.yaml"), Path.of("/dev/zero"));
        profile("ok");
        CliRun cli = cli();

        CliRun.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cli.run("sync", "--json"));

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        Map<String, Map<String, Object>> by = new LinkedHashMap<>();
        for (Object t : Json.asList(r.json().get("targets")))
            by.put((String) Json.asObject(t).get("name"), Json.asObject(t));
        String only = ": not a regular file (%s); vmtrust reads only regular files";
        assertThat(by.get("colima/fifopid"))
                .containsEntry("result", "failed")
                .containsEntry("persisted", "updated")
                .containsEntry("error", instance("fifopid").resolve("ha.pid") + only.formatted("a FIFO"));
        assertThat(by.get("colima/zeropid"))
                .containsEntry("error", instance("zeropid").resolve("ha.pid") + only.formatted("a character device"));
        assertThat(by.get("colima/fifossh"))
                .containsEntry("result", "failed")
                .containsEntry("error", instance("fifossh").resolve("ssh.config") + only.formatted("a FIFO"));
        assertThat(by.get("colima/zerossh"))
                .containsEntry(
                        "error", instance("zerossh").resolve("ssh.config") + only.formatted("a character device"));
        assertThat(by.get("colima/hugekey"))
                .containsEntry(
                        "error",
                        instance("hugekey").resolve("ssh.config") + ": IdentityFile " + key
                                + ": 3 GiB is over the 64 KiB limit for an SSH private key; try: colima restart hugekey");
        assertThat(by.get("colima/fifoyaml"))
                .containsEntry("persisted", "failed")
                .containsEntry("error", colima().resolve("fifoyaml/colima.yaml") + only.formatted("a FIFO"));
        assertThat(by.get("colima/zeroyaml"))
                .containsEntry("persisted", "failed")
                .containsEntry(
                        "error", colima().resolve("zeroyaml/colima.yaml") + only.formatted("a character device"));
        assertThat(by.get("colima/ok")).containsEntry("persisted", "updated").containsEntry("error", null);
        assertThat(Files.readString(colima().resolve("ok/colima.yaml"))).contains("# vmtrust: managed entry");
    }

    @Test
    void aFifoAsConfigStatusOrNotifyStateIsRefusedWithoutBlocking() throws Exception {
        CliRun cli = cli();
        Path config = tmp.resolve("fifo-config.yaml");
        fifo(config);

        CliRun.Result bad =
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("--config", config.toString(), "list"));

        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(config + ": is not a regular file (a FIFO); vmtrust reads only regular files");

        Files.createDirectories(cli.stateDir());
        fifo(cli.stateDir().resolve("status.json"));
        CliRun.Result status = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("status"));
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.err())
                .isEqualTo("vmtrust: " + cli.stateDir().resolve("status.json") + only("a FIFO")
                        + "; remove it, `vmtrust sync` writes a new one\n");

        fifo(cli.stateDir().resolve("notify-state.json"));
        CliRun.Result sync = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("sync"));
        assertThat(sync.exit()).as(sync.err()).isZero();
        assertThat(Files.isRegularFile(cli.stateDir().resolve("status.json")))
                .as("sync replaced the FIFO")
                .isTrue();
    }

    private static String only(String kind) {
        return ": not a regular file (" + kind + "); vmtrust reads only regular files";
    }
}
