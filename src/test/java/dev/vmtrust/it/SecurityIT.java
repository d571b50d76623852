package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.ChildJvm;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.FakeCommandRunner;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue item 15 on sandbox VMs: the instance's own key only, and concurrent runs that never interleave. */
class SecurityIT {
    private static final String CA_DIR = "/usr/local/share/ca-certificates";

    @TempDir
    Path tmp;

    private TestKeys keys;

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        keys = TestKeys.generate(tmp.resolve("keys"));
    }

    private static String config(ColimaHome colima, Path caFile, Path lima) {
        return """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, colima.home(), lima);
    }

    @Test
    void onlyTheInstanceKeyIsTriedNotAnSshAgentOrTheUsersOwnKeys() throws Exception {
        Path jar = SandboxSupport.projectDir().resolve("target/vmtrust.jar");
        TestKeys other = TestKeys.generate(tmp.resolve("other")); // what ssh.config names: not authorized
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        Path home = Files.createDirectories(tmp.resolve("home/.ssh")).getParent();
        Files.copy(keys.privateKey(), home.resolve(".ssh/id_ed25519")); // authorized, but the user's own key
        Path agentSock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSock.toString()).start();
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            awaitFile(agentSock);
            ExecResult add = Cmd.run(
                    List.of("ssh-add", keys.privateKey().toString()),
                    Cmd.DEFAULT_TIMEOUT,
                    null,
                    Map.of("SSH_AUTH_SOCK", agentSock.toString()));
            assertThat(add.exitCode()).as(add.output()).isZero();
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), other).running("default", vm);
            Path config = Files.writeString(tmp.resolve("config.yaml"), config(colima, caFile, tmp.resolve("lima")));

            CliRun.Result r = ChildJvm.run(
                    List.of(),
                    jar.toString(),
                    Map.of(
                            "HOME",
                            home.toString(),
                            "SSH_AUTH_SOCK",
                            agentSock.toString(),
                            "VMTRUST_CONFIG",
                            config.toString(),
                            "XDG_STATE_HOME",
                            tmp.resolve("state").toString()),
                    tmp,
                    "sync");

            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(r.out())
                    .contains("colima/default  failed: colima/default: cannot reach the VM over SSH (127.0.0.1:"
                            + vm.port() + "): the VM refused the key " + colima.key()
                            + "; try: colima restart default");
            assertThat(Files.readString(vm.consoleLog())).doesNotContain("Accepted publickey");
        } finally {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly();
        }
    }

    @Test
    void aSyncAndAnUninstallPurgeStartedTogetherRunOneAfterTheOtherAndLeaveAConsistentState() throws Exception {
        TestCerts.Issued ca = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), ca.pem());
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            TrustToolWrapper tool = TrustToolWrapper.install(vm);
            tool.delay(1);
            CliRun cli = new CliRun(tmp.resolve("run"))
                    .config(config(colima, caFile, tmp.resolve("lima")))
                    .runner(new FakeCommandRunner().fallback(3, "inactive\n", ""));
            assertThat(cli.run("sync").exit()).isZero();

            CompletableFuture<CliRun.Result> sync = CompletableFuture.supplyAsync(() -> cli.run("sync", "--json"));
            CompletableFuture<CliRun.Result> purge =
                    CompletableFuture.supplyAsync(() -> cli.run("uninstall", "--purge"));
            CliRun.Result s = sync.get(60, TimeUnit.SECONDS);
            CliRun.Result p = purge.get(60, TimeUnit.SECONDS);

            assertThat(s.exit()).as(s.out() + s.err()).isZero();
            assertThat(p.exit()).as(p.out() + p.err()).isZero();
            assertNoOverlap(tool.log());
            String files = vm.exec("sh", "-c", "ls " + CA_DIR + " | grep vmtrust; true")
                    .stdout();
            String stamp = vm.exec("sh", "-c", "cat /etc/vmtrust/bundle.sha256 2>/dev/null; true")
                    .stdout()
                    .strip();
            boolean entry = Files.readString(colima.profileYaml("default")).contains("# vmtrust: managed entry");
            if (stamp.isEmpty()) {
                assertThat(files).as("purged last: no files").isEmpty();
                assertThat(entry).as("purged last: no entry").isFalse();
            } else {
                assertThat(stamp).isEqualTo(CaBundle.of(List.of(ca.cert())).fingerprint());
                assertThat(files).isEqualTo("vmtrust-" + ca.cert().fp16() + ".crt\n");
                assertThat(entry).as("synced last: entry").isTrue();
            }
        }
    }

    @Test
    void twoSyncsOfDifferentSetsFromTwoStateFoldersSerializeInTheVmAndTheStampMatchesTheFiles() throws Exception {
        TestCerts.Issued a = TestCerts.rootCa("CN=Corp Root A,O=Corp");
        TestCerts.Issued b = TestCerts.rootCa("CN=Corp Root B,O=Corp");
        Path fileA = Files.writeString(tmp.resolve("a.pem"), a.pem());
        Path fileB = Files.writeString(tmp.resolve("b.pem"), b.pem());
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            TrustToolWrapper tool = TrustToolWrapper.install(vm);
            tool.delay(1);
            // two state folders = two host locks: only the in-VM lock and the YAML's compare-and-rename protect
            CliRun one = new CliRun(tmp.resolve("one")).config(config(colima, fileA, tmp.resolve("lima")));
            CliRun two = new CliRun(tmp.resolve("two")).config(config(colima, fileB, tmp.resolve("lima")));

            CompletableFuture<CliRun.Result> first = CompletableFuture.supplyAsync(() -> one.run("sync"));
            CompletableFuture<CliRun.Result> second = CompletableFuture.supplyAsync(() -> two.run("sync"));
            CliRun.Result r1 = first.get(90, TimeUnit.SECONDS);
            CliRun.Result r2 = second.get(90, TimeUnit.SECONDS);

            assertThat(r1.exit()).as(r1.out() + r1.err()).isZero();
            assertThat(r2.exit()).as(r2.out() + r2.err()).isZero();
            assertThat(tool.log()).hasSize(4);
            assertNoOverlap(tool.log());
            String stamp = vm.exec("cat", "/etc/vmtrust/bundle.sha256").stdout().strip();
            TestCerts.Issued last = stamp.equals(CaBundle.of(List.of(a.cert())).fingerprint()) ? a : b;
            assertThat(stamp).isEqualTo(CaBundle.of(List.of(last.cert())).fingerprint());
            assertThat(vm.exec("sh", "-c", "ls " + CA_DIR + " | grep vmtrust").stdout())
                    .isEqualTo("vmtrust-" + last.cert().fp16() + ".crt\n");
            String yaml = Files.readString(colima.profileYaml("default"));
            assertThat(yaml.split("# vmtrust: managed entry", -1))
                    .as("exactly one entry")
                    .hasSize(2);
        }
    }

    /**
     * Issue 12 finding 2, in a network and mount namespace of our own: /etc/hosts there maps
     * {@code localhost.} to 10.99.0.1 (on the namespace's lo; not a loopback address), where socat
     * counts connections. The sync must refuse before sending a single packet there.
     */
    @Test
    void localhostWithATrailingDotThatResolvesToANonLoopbackAddressGetsNoConnection() throws Exception {
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        int port = FreePort.pick();
        ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys)
                .running("default", port, ProcessHandle.current().pid());
        Path sshConfig = colima.instanceDir("default").resolve("ssh.config");
        Files.writeString(sshConfig, Files.readString(sshConfig).replace("Hostname 127.0.0.1", "Hostname localhost."));
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n10.99.0.1 localhost.\n");
        Path hits = tmp.resolve("hits");
        Files.createFile(hits);
        String setup = "ip link set lo up && ip addr add 10.99.0.1/32 dev lo && mount --bind \"$H\" /etc/hosts"
                + " && { socat TCP-LISTEN:$P,bind=10.99.0.1,fork,reuseaddr SYSTEM:'echo hit >>\"$HITS\"' & s=$!; }"
                + " && sleep 0.3 && { \"$@\"; rc=$?; kill $s; exit $rc; }";
        List<String> prefix = List.of("unshare", "--net", "--mount", "sh", "-c", setup, "sh");
        Path config = Files.writeString(tmp.resolve("config.yaml"), config(colima, caFile, tmp.resolve("lima")));

        CliRun.Result r = ChildJvm.run(
                prefix,
                null,
                Map.of(
                        "HOME",
                        tmp.toString(),
                        "H",
                        hosts.toString(),
                        "P",
                        String.valueOf(port),
                        "HITS",
                        hits.toString(),
                        "VMTRUST_CONFIG",
                        config.toString(),
                        "XDG_STATE_HOME",
                        tmp.resolve("state").toString()),
                tmp,
                "sync");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.out())
                .contains("colima/default  failed: colima/default: ssh.config points at localhost."
                        + " (10.99.0.1), which is not loopback; vmtrust only connects to loopback unless you add it to"
                        + " ssh.allowHosts in the config");
        assertThat(Files.readString(hits)).as("connections to 10.99.0.1").isEmpty();
    }

    /** The trust updates ran one at a time: begin, end, begin, end... */
    private static void assertNoOverlap(List<String> log) {
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i)).as("line " + i + " of " + log).startsWith(i % 2 == 0 ? "begin " : "end ");
        }
        assertThat(log.size() % 2).as("every update finished: " + log).isZero();
    }

    private static void awaitFile(Path p) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(p); i++) Thread.sleep(20);
        assertThat(p).exists();
    }
}
