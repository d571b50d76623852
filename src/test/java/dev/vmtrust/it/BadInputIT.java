package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.ChildJvm;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.StderrCapture;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input end to end on sandbox VMs (issue items 1, 2 unreadable, 4, 6 invalid colima.yaml). */
class BadInputIT {
    private static final String CA_DIR = "/usr/local/share/ca-certificates";

    @TempDir
    Path tmp;

    private TestKeys keys;

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        keys = TestKeys.generate(tmp.resolve("keys"));
    }

    private CliRun cli(ColimaHome colima, Path caFile) {
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, colima.home(), tmp.resolve("lima")));
    }

    @Test
    void privateKeysInEveryFormBesideACaAreRefusedAndNoKeyLineReachesAnyOutputFileOrVm() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        KeyPair rsa = TestCerts.rsaKeys();
        List<String> keyPems = List.of(
                TestCerts.pkcs8Pem(corp.keys()),
                TestCerts.encryptedPkcs8Pem(rsa),
                TestCerts.traditionalPem(rsa),
                TestCerts.traditionalPem(corp.keys()),
                TestCerts.opensshPem());
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), corp.pem() + String.join("", keyPems));
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            CliRun cli = cli(colima, caFile);
            CliRun.Result sync;
            CliRun.Result list;
            String log;
            try (StderrCapture capture = new StderrCapture()) {
                sync = cli.run("-v", "sync", "--json");
                list = cli.run("-v", "list");
                log = capture.text();
            }

            assertThat(sync.exit()).as(sync.err()).isZero();
            assertThat(sync.json()).containsEntry("cas", 1L);
            assertThat(vm.exec("ls", CA_DIR).stdout())
                    .contains("vmtrust-" + corp.cert().fp16() + ".crt");
            for (int block = 2; block <= 6; block++) {
                assertThat(list.out()).contains("file:" + caFile + ": block " + block + " is a private key (");
            }
            assertThat(log)
                    .contains("skipped file:" + caFile + ": block 6 is a private key (OPENSSH PRIVATE KEY);"
                            + " it was skipped and not read further. Keep private keys out of CA files.");
            StringBuilder everything = new StringBuilder(sync.out() + sync.err() + list.out() + list.err() + log);
            try (Stream<Path> files = Files.walk(cli.stateDir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) everything.append(Files.readString(f));
            }
            Path yaml = colima.profileYaml("default");
            everything
                    .append(Files.readString(yaml))
                    .append(Files.readString(yaml.resolveSibling("colima.yaml.vmtrust.bak")));
            ExecResult inVm = vm.exec("sh", "-c", "find " + CA_DIR + " /etc/vmtrust -type f -exec cat {} +");
            assertThat(inVm.stdout())
                    .contains(corp.pem().lines().skip(1).findFirst().orElseThrow());
            everything.append(inVm.stdout());
            List<String> keyLines = base64Lines(keyPems);
            assertThat(keyLines).hasSizeGreaterThan(20);
            for (String line : keyLines)
                assertThat(everything.toString()).as("a key line leaked").doesNotContain(line);
        }
    }

    @Test
    void hostileSubjectsRunNothingInTheVmOrOnTheHostAndTheFileIsNamedByFingerprint() throws Exception {
        String marker = "/tmp/pwned-" + (System.nanoTime() % 100000);
        TestCerts.Issued evil = TestCerts.rootCa(new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "x\"'$(touch " + marker + ")")
                .addRDN(BCStyle.OU, "`touch " + marker + "`")
                .addRDN(BCStyle.L, "a\n; touch " + marker + " #")
                .addRDN(BCStyle.ST, "\u001b[31m\u202ered\r")
                .addRDN(BCStyle.O, "Ünïcode 'quoted' \"corp\" \\ $HOME")
                .build());
        Path caFile = Files.writeString(tmp.resolve("evil.pem"), evil.pem());
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            CliRun cli = cli(colima, caFile);

            CliRun.Result list = cli.run("list");
            CliRun.Result sync = cli.run("sync", "--json");

            // the payloads are shown as text; newline, CR, ESC and U+202E are shown escaped, never sent raw to the
            // terminal
            assertThat(list.out())
                    .as("the subject really carries the payloads")
                    .contains(
                            evil.cert().fp16(),
                            "$(touch " + marker + ")",
                            "`touch " + marker + "`",
                            "L=a\\n",
                            // RFC 2253 puts a backslash before the trailing CR; shown doubled, as it precedes an escape
                            "ST=\\x1b[31m\\u202ered\\\\\\r,")
                    .doesNotContain("L=a\n", "\u001b", "\u202e", "\r");
            assertThat(sync.exit()).as(sync.err()).isZero();
            assertThat(vm.exec("sh", "-c", "ls " + CA_DIR + " | grep vmtrust").stdout())
                    .isEqualTo("vmtrust-" + evil.cert().fp16() + ".crt\n");
            Path script = tmp.resolve("provision.sh");
            Files.writeString(
                    script,
                    ProvisionScripts.systemScripts(colima.profileYaml("default"))
                            .get(0));
            ExecResult boot = vm.execWithInput(script, "sh");
            assertThat(boot.exitCode()).as(boot.output()).isZero();
            assertThat(vm.exec("test", "-e", marker).exitCode())
                    .as("marker in the VM")
                    .isNotZero();
            assertThat(Path.of(marker)).as("marker on the host").doesNotExist();
        }
    }

    @Test
    void anInvalidColimaYamlIsLeftAloneWithLineAndColumnWhileTheLivePushStillHappens() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), corp.pem());
        String broken = "cpu: 2\nprovision: [\n  - mode: system\n";
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            Path yaml = Files.writeString(colima.profileYaml("default"), broken);

            CliRun.Result r = cli(colima, caFile).run("sync", "--json");

            assertThat(r.exit()).as(r.err()).isEqualTo(3);
            assertThat(Json.asObject(Json.asList(r.json().get("targets")).get(0)))
                    .containsEntry("result", "updated")
                    .containsEntry("persisted", "failed")
                    .containsEntry("added", 1L)
                    .containsEntry(
                            "error",
                            yaml
                                    + " line 3, column 3: invalid YAML: expected the node content, but found '-';"
                                    + " fix the file, vmtrust will not edit it");
            assertThat(Files.readString(yaml)).isEqualTo(broken);
            assertThat(vm.exec("test", "-f", CA_DIR + "/vmtrust-" + corp.cert().fp16() + ".crt")
                            .exitCode())
                    .isZero();
        }
    }

    @Test
    void fifosAndDevicesInOneProfileFailItAloneAtOnceAndTheRunningVmBesideItIsSynced() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), corp.pem());
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys)
                    .running("default", vm)
                    .running("fifo", vm)
                    .running("zero", vm);
            Path sshConfig = colima.instanceDir("fifo").resolve("ssh.config");
            Files.delete(sshConfig);
            Files.delete(colima.profileYaml("fifo"));
            for (Path p : List.of(sshConfig, colima.profileYaml("fifo"))) {
                assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor())
                        .isZero();
            }
            Path haPid = colima.instanceDir("zero").resolve("ha.pid");
            Files.delete(haPid);
            Files.createSymbolicLink(haPid, Path.of("/dev/zero"));

            CliRun.Result r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(90), () -> cli(colima, caFile).run("sync", "--json"));

            assertThat(r.exit()).as(r.err()).isEqualTo(3);
            List<Map<String, Object>> ts = Json.asList(r.json().get("targets")).stream()
                    .map(Json::asObject)
                    .toList();
            String only = ": not a regular file (%s); vmtrust reads only regular files";
            assertThat(ts.get(0))
                    .containsEntry("name", "colima/default")
                    .containsEntry("result", "updated")
                    .containsEntry("persisted", "updated")
                    .containsEntry("error", null);
            assertThat(ts.get(1))
                    .containsEntry("name", "colima/fifo")
                    .containsEntry("result", "failed")
                    .containsEntry("persisted", "failed")
                    .containsEntry("error", sshConfig + only.formatted("a FIFO"))
                    .containsEntry(
                            "notes",
                            List.of("provision entry failed: " + colima.profileYaml("fifo")
                                    + only.formatted("a FIFO")));
            assertThat(ts.get(2))
                    .containsEntry("name", "colima/zero")
                    .containsEntry("result", "failed")
                    .containsEntry("persisted", "updated")
                    .containsEntry("error", haPid + only.formatted("a character device"));
            assertThat(vm.exec("test", "-f", CA_DIR + "/vmtrust-" + corp.cert().fp16() + ".crt")
                            .exitCode())
                    .isZero();
        }
    }

    @Test
    void aFileTheUserCannotReadIsRefusedWithPermissionDeniedAndTheRestStillCounts() throws Exception {
        Path jar = SandboxSupport.projectDir().resolve("target/vmtrust.jar");
        assertThat(jar).as("run `mvn package` first").exists();
        Path dir = Files.createTempDirectory("vmtrust-nobody");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
            Path ok = Files.writeString(dir.resolve("ok.pem"), corp.pem());
            Path secret = Files.writeString(
                    dir.resolve("secret.pem"),
                    TestCerts.rootCa("CN=Secret Root").pem());
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Path config = Files.writeString(dir.resolve("config.yaml"), """
                    sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s, %s], publicRoots: none}
                    """.formatted(ok, secret));
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

            // the user "nobody" must be able to read the jar wherever the checkout is (a 0700 folder, say)
            Path ownJar = Files.copy(jar, dir.resolve("vmtrust.jar"));
            Files.setPosixFilePermissions(ownJar, PosixFilePermissions.fromString("rw-r--r--"));
            CliRun.Result r = ChildJvm.run(
                    List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"),
                    ownJar.toString(),
                    Map.of("HOME", dir.toString(), "VMTRUST_CONFIG", config.toString()),
                    dir,
                    "list");

            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out())
                    .contains(corp.cert().fp16() + "  CN=Corp Root,O=Corp")
                    .endsWith("rejected:\n  file:" + secret + ": cannot read: Permission denied\n");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Every base64 body line of every key (headers and BEGIN/END lines left out). */
    private static List<String> base64Lines(List<String> pems) {
        List<String> lines = new ArrayList<>();
        for (String pem : pems) {
            pem.lines()
                    .filter(l -> !l.startsWith("-----")
                            && !l.contains(":")
                            && l.strip().length() >= 16)
                    .forEach(l -> lines.add(l.strip()));
        }
        return lines;
    }
}
