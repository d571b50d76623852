package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Soak (issue items 13 and 14): the real agent and 3 VMs through many rotations, a new CA each time, with VMs
 * restarted in between and the agent itself killed with SIGKILL at random moments (during YAML, state or VM
 * writes) and started again. After every rotation each VM holds exactly the new CA and its stamp; every file
 * vmtrust writes on the host parses (old or new, never partial); threads, open files and RSS stay bounded.
 * CI runs 30 rotations; the long form is {@code -Dvmtrust.soak.rotations=300}.
 */
class SoakIT {
    static final int ROTATIONS = Integer.getInteger("vmtrust.soak.rotations", 30);

    @TempDir
    Path tmp;

    @Test
    void everyRotationConvergesWithRestartsAndAgentKillsAndResourcesStayBounded() throws Exception {
        SandboxSupport.assumeSandbox();
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        Path caFile = certs.resolve("corp.pem");
        Files.writeString(caFile, TestCerts.rootCa("CN=Soak 0,O=vmtrust tests").pem());
        ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys);
        Path root = tmp.resolve("agent");
        Path config = Files.createDirectories(root.resolve("config")).resolve("config.yaml");
        Files.writeString(config, """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                notify: {desktop: false}
                """.formatted(caFile, colima.home(), tmp.resolve("lima")));
        List<String> profiles = List.of("default", "a", "b");
        List<SandboxVm> vms = new ArrayList<>();
        Random random = new Random(42);
        Process agent = null;
        try {
            for (String p : profiles) {
                SandboxVm vm = SandboxVm.start(tmp.resolve("vm-" + p), FreePort.pick(), keys.publicKey(), false, false);
                vms.add(vm);
                colima.running(p, vm);
            }
            agent = AgentIT.startAgent(root, config);
            long[] baseline = null;
            for (int i = 1; i <= ROTATIONS; i++) {
                TestCerts.Issued ca = TestCerts.rootCa("CN=Soak " + i + ",O=vmtrust tests");
                Path next = Files.writeString(certs.resolve(".next.pem"), ca.pem());
                Files.move(next, caFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                if (i % 10 == 5) { // restart one VM: same disk, new port and host-agent PID, as `colima restart` does
                    int k = i % vms.size();
                    vms.get(k).stop();
                    SandboxVm vm = SandboxVm.start(
                            tmp.resolve("vm-" + profiles.get(k)), FreePort.pick(), keys.publicKey(), false, false);
                    vms.set(k, vm);
                    colima.running(profiles.get(k), vm);
                }
                if (i % 10 == 7) { // SIGKILL the agent somewhere in its round, then start it again
                    Thread.sleep(random.nextInt(600));
                    agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    assertHostFilesWhole(
                            colima, profiles, root, false); // a killed writer's temp may remain until the next round
                    agent = AgentIT.startAgent(root, config);
                }
                String fp = CaBundle.of(List.of(ca.cert())).fingerprint();
                String want = fp + "\nvmtrust-" + ca.cert().fp16() + ".crt\n";
                int round = i;
                AgentIT.await(
                        "rotation " + round,
                        Duration.ofSeconds(40),
                        () -> vms.stream().allMatch(vm -> state(vm).equals(want)));
                AgentIT.await(
                        "state written " + round,
                        Duration.ofSeconds(10),
                        () -> statusBundle(root).equals("sha256:" + fp));
                assertHostFilesWhole(colima, profiles, root, true);
                if (i == 5) baseline = usage(agent.pid());
            }
            long[] end = usage(agent.pid());
            System.out.printf(
                    "soak: %d rotations; agent threads %d -> %d, fds %d -> %d, RSS %d -> %d kB%n",
                    ROTATIONS, baseline[0], end[0], baseline[1], end[1], baseline[2], end[2]);
            assertThat(end[0]).as("threads").isLessThanOrEqualTo(Math.max(48, baseline[0] + 8));
            assertThat(end[1]).as("open files").isLessThanOrEqualTo(Math.max(128, baseline[1] + 16));
            assertThat(end[2]).as("RSS kB").isLessThanOrEqualTo(256 * 1024);
        } finally {
            if (agent != null) {
                agent.destroy();
                agent.waitFor(5, TimeUnit.SECONDS);
            }
            vms.forEach(SandboxVm::stop);
        }
    }

    /** The stamp, then the vmtrust-owned files in the CA folder, one per line. */
    private static String state(SandboxVm vm) {
        return vm.exec(
                        "sh",
                        "-c",
                        "cat /etc/vmtrust/bundle.sha256 2>/dev/null; ls /usr/local/share/ca-certificates | grep '^vmtrust-'")
                .stdout();
    }

    /** Every file vmtrust writes on the host is whole: the YAML parses with one entry, status.json parses. */
    @SuppressWarnings("unchecked")
    private static void assertHostFilesWhole(ColimaHome colima, List<String> profiles, Path root, boolean noTemps)
            throws Exception {
        for (String p : profiles) {
            String text = Files.readString(colima.profileYaml(p));
            Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            List<Object> provision = (List<Object>) doc.get("provision");
            assertThat(provision).as(p + " provision").hasSizeLessThanOrEqualTo(1);
            assertThat(doc).containsKeys("cpu", "runtime", "docker");
        }
        Path status = root.resolve("state/vmtrust/status.json");
        if (Files.exists(status)) Json.asObject(Json.parse(Files.readString(status)));
        if (!noTemps) return;
        try (var s = Files.list(root.resolve("state/vmtrust"))) {
            // a live writer's temp is a write in progress; a dead writer's must be swept
            assertThat(s.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".tmp"))
                            .filter(SoakIT::deadWriter)
                            .toList())
                    .as("no temp files of killed writers left behind")
                    .isEmpty();
        }
    }

    private static boolean deadWriter(String tempName) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\.(\\d+)-[0-9a-z]+\\.tmp$").matcher(tempName);
        return !m.find()
                || ProcessHandle.of(Long.parseLong(m.group(1)))
                                .map(ProcessHandle::isAlive)
                                .orElse(false)
                        == false;
    }

    private static String statusBundle(Path root) {
        try {
            return String.valueOf(Json.asObject(Json.parse(Files.readString(root.resolve("state/vmtrust/status.json"))))
                    .get("bundle"));
        } catch (Exception e) {
            return "";
        }
    }

    /** threads, open files, RSS in kB of a process. */
    private static long[] usage(long pid) throws Exception {
        long threads = 0;
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) threads = Long.parseLong(line.replaceAll("\\D", ""));
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", ""));
        }
        long fds;
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = s.count();
        }
        return new long[] {threads, fds, rss};
    }
}
