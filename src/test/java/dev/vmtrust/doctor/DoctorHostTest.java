package dev.vmtrust.doctor;

import static dev.vmtrust.doctor.DoctorFixture.CA;
import static dev.vmtrust.doctor.DoctorFixture.PROBE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.ConfigException;
import dev.vmtrust.doctor.TlsProbeResult.Outcome;
import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.StateStore;
import dev.vmtrust.reconcile.TargetReport;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host-side checks: config, sources, CA set and expiry, host probes, homes, agent, last sync. */
class DoctorHostTest {
    @TempDir
    Path tmp;

    DoctorFixture f;

    @BeforeEach
    void setUp() {
        f = new DoctorFixture(tmp);
    }

    private static String text(List<Check> checks) {
        return checks.stream().map(CheckText::line).collect(Collectors.joining("\n", "", "\n"));
    }

    private void lastReport(Instant at, String bundle, LiveStatus result) throws Exception {
        new StateStore(tmp.resolve("state/vmtrust"))
                .writeReport(new Report(
                        at,
                        bundle,
                        1,
                        List.of(new TargetReport(
                                "colima/default",
                                "colima",
                                VmState.RUNNING,
                                result,
                                Persisted.UNCHANGED,
                                0,
                                0,
                                List.of(),
                                List.of(),
                                0,
                                result == LiveStatus.FAILED ? "boom" : null,
                                null,
                                List.of(),
                                List.of()))));
    }

    @Test
    void aHealthyHostWithoutVmsListsEveryGlobalCheckWordForWord() throws Exception {
        Instant at = f.now.minus(Duration.ofMinutes(5));
        lastReport(at, DoctorFixture.SET.label(), LiveStatus.UNCHANGED);
        Files.createDirectories(f.colima);

        List<Check> checks = f.run();

        String day = CA.cert().notAfter().toString().substring(0, 10);
        assertThat(text(checks))
                .isEqualTo(""
                        + "ok    config              no config file at " + f.configFile() + "; using the defaults\n"
                        + "ok    sources             on: files (1); public roots (none) are left out\n"
                        + "ok    keychain            off (sources.keychain.enabled: false)\n"
                        + "ok    host                off (sources.host: false)\n"
                        + "ok    source-files        file:" + f.caFile + ": 1 CA in the set\n"
                        + "ok    ca-set              1 CA: CN=Corp Root,O=Corp (expires " + day + "); CA set "
                        + DoctorFixture.SET.label() + "\n"
                        + "ok    ca-expiry           no CA expires within 30 days (the first expires " + day + ")\n"
                        + "ok    probe-host          " + PROBE_URL
                        + ": the chain verifies; issued by CN=Corp Root,O=Corp, which is in the CA set; HTTP 200\n"
                        + "warn  homes               no Colima profile or Lima instance found (colima " + f.colima
                        + " (0 profiles); lima "
                        + tmp.resolve("lima") + " (not found))\n"
                        + "      next: start one (colima start, limactl start), or set targets.colima.home / targets.lima.home\n"
                        + "ok    agent               installed (/u/vmtrust.service) and running\n"
                        + "ok    last-sync           last reconcile " + at + " (5m ago), CA set "
                        + DoctorFixture.SET.label() + ", 1 target\n");
        assertThat(Check.anyFailed(checks)).isFalse();
    }

    @Test
    void anInvalidConfigFailsConfigAndStillChecksTheAgentAndTheLastSync() {
        ConfigException e = new ConfigException(f.configFile(), List.of(f.configFile() + ": colour: unknown key"));

        List<Check> checks = f.doctor().run(e);

        assertThat(text(checks))
                .isEqualTo(""
                        + "fail  config              " + f.configFile() + ": colour: unknown key\n"
                        + "      next: fix " + f.configFile() + "; every key is optional\n"
                        + "ok    agent               installed (/u/vmtrust.service) and running\n"
                        + "warn  last-sync           no reconcile yet (" + tmp.resolve("state/vmtrust/status.json")
                        + " does not exist)\n"
                        + "      next: vmtrust sync\n");
    }

    @Test
    void rejectedInputsWarnAndAnEmptySetFails() throws Exception {
        Path keyFile = DoctorFixture.write(tmp.resolve("key.pem"), TestCerts.pkcs8Pem(CA.keys()));
        List<Check> checks = f.doctor().run(f.config("", keyFile));

        assertThat(text(checks))
                .contains("warn  source-files        file:" + keyFile
                        + ": 0 CAs in the set; rejected: block 1 is a private key"
                        + " (PRIVATE KEY); it was skipped and not read further. Keep private keys out of CA files.\n"
                        + "      next: fix or remove the inputs named; `vmtrust list` shows every rejected input\n")
                .contains(
                        "fail  ca-set              no CA found; nothing can be pushed to the VMs; looked in: sources.files "
                                + keyFile + "\n"
                                + "      next: turn the host store on (sources.host: auto), or list its file under sources.files in "
                                + f.configFile() + "; `vmtrust list` shows every rejected input\n")
                .doesNotContain("ca-expiry");
    }

    @Test
    void aCaExpiringWithin30DaysWarnsAndAnExpiredFileCaFails() throws Exception {
        Instant now = Instant.now();
        TestCerts.Issued soon = TestCerts.rootCa(
                "CN=Soon Root",
                now.minus(Duration.ofDays(300)),
                now.plus(Duration.ofDays(10)).plusSeconds(3600));
        TestCerts.Issued gone =
                TestCerts.rootCa("CN=Gone Root", now.minus(Duration.ofDays(300)), now.minus(Duration.ofDays(2)));
        Path soonFile = DoctorFixture.write(tmp.resolve("soon.pem"), soon.pem());
        Path goneFile = DoctorFixture.write(tmp.resolve("gone.pem"), gone.pem());
        String soonDay = soon.cert().notAfter().toString().substring(0, 10);

        String warn = text(f.doctor().run(f.config("", soonFile)));
        String fail = text(f.doctor().run(f.config("", soonFile, goneFile)));

        assertThat(warn)
                .contains("warn  ca-expiry           \"CN=Soon Root\" expires " + soonDay + " (in 10 days)\n"
                        + "      next: get the renewed CA from IT; vmtrust pushes it as soon as a source has it\n");
        assertThat(fail)
                .contains(
                        "fail  ca-expiry           \"CN=Gone Root\" expired on "
                                + gone.cert().notAfter() + " (file:" + goneFile
                                + "); \"CN=Soon Root\" expires " + soonDay
                                + " (in 10 days); an expired CA is not pushed\n"
                                + "      next: get the renewed CA from IT; vmtrust pushes it as soon as a source has it, and remove the expired one from its file\n");
    }

    @Test
    void aHostProbeSeeingAnUnknownIssuerFailsWithTheLinesToAdd() {
        String hex = "b".repeat(64);
        f.tls = (u, s) -> new TlsProbeResult(Outcome.UNKNOWN_ISSUER, null, "CN=Zscaler Root CA,O=Zscaler", hex);

        String plain = text(f.run());
        String withInclude = text(f.doctor().run(f.config("include: [\"Corp\"]\n")));

        String fail = "fail  probe-host          " + PROBE_URL
                + ": issued by CN=Zscaler Root CA,O=Zscaler, which is neither a public"
                + " root nor in the CA set; VMs will not trust this server\n";
        String save =
                "save that CA as PEM (e.g. the last certificate of `openssl s_client -showcerts -connect 127.0.0.1:9"
                        + " </dev/null`) and list the file under sources.files";
        assertThat(plain).contains(fail + "      next: " + save + "\n");
        assertThat(withInclude)
                .contains(fail + "      next: add to the config: include: [\"sha256:" + hex
                        + "\"] (your include list leaves it out); if no source has it, " + save + "\n");
    }

    @Test
    void hostProbeOutcomesMapToOkWarnAndFail() {
        java.net.URI u = java.net.URI.create(PROBE_URL);
        assertThat(CheckText.line(ProbeChecks.host(
                        u, new TlsProbeResult(Outcome.TRUSTED_PUBLIC, null, "CN=Pub", null), List.of())))
                .isEqualTo("ok    probe-host          " + PROBE_URL
                        + ": the chain verifies; issued by CN=Pub, a public root (no interception)");
        assertThat(CheckText.line(
                        ProbeChecks.host(u, TlsProbeResult.failed(Outcome.NO_NETWORK, "cannot resolve x"), List.of())))
                .isEqualTo("warn  probe-host          " + PROBE_URL + ": no network: cannot resolve x\n"
                        + "      next: check the network, VPN or proxy; the probe only informs");
        assertThat(CheckText.line(
                        ProbeChecks.host(u, new TlsProbeResult(Outcome.BROKEN, "expired", "CN=Corp", null), List.of())))
                .isEqualTo(
                        "fail  probe-host          " + PROBE_URL
                                + ": issued by CN=Corp, which is in the CA set, but the chain does"
                                + " not verify: expired\n      next: check the server's certificates (expired? incomplete chain?)");
    }

    @Test
    void agentStatesMapToOkWarnAndFail() {
        Path unit = Path.of("/h/.config/systemd/user/vmtrust.service");
        assertThat(AgentChecks.agent(() -> new AgentStatus.Snapshot(true, unit, false, null, null, null)))
                .isEqualTo(Check.warn(
                        "agent",
                        null,
                        "not installed (" + unit + " does not exist)",
                        "vmtrust install, or run `vmtrust run` in the foreground"));
        assertThat(AgentChecks.agent(() -> new AgentStatus.Snapshot(
                        true,
                        unit,
                        true,
                        null,
                        "systemd --user is not reachable here (Failed to connect to bus: No medium found)",
                        null)))
                .isEqualTo(Check.warn(
                        "agent",
                        null,
                        "installed (" + unit + "), but cannot tell whether it runs: systemd --user is not"
                                + " reachable here (Failed to connect to bus: No medium found)",
                        "run `vmtrust run` in the foreground"));
        assertThat(AgentChecks.agent(() -> new AgentStatus.Snapshot(
                        true, unit, true, false, "systemd says failed", "systemctl --user start vmtrust.service")))
                .isEqualTo(Check.fail(
                        "agent",
                        null,
                        "installed (" + unit + ") but not running: systemd says failed",
                        "systemctl --user start vmtrust.service"));
        assertThat(AgentChecks.agent(() -> {
                            throw new IllegalStateException("boom");
                        })
                        .status())
                .isEqualTo(Check.Status.WARN);
    }

    @Test
    void
            the_agent_env_check_warns_when_the_agents_homes_differ_from_this_shells_and_macos_says_how_to_see_notifications()
                    throws Exception {
        Path plist =
                Files.createDirectories(tmp.resolve("h/Library/LaunchAgents")).resolve("dev.vmtrust.agent.plist");
        Files.writeString(plist, "<dict>\n\t\t<key>LIMA_HOME</key>\n\t\t<string>/old/lima</string>\n</dict>\n");
        dev.vmtrust.platform.Environment mac = new dev.vmtrust.platform.Environment(
                java.util.Map.of("HOME", tmp.resolve("h").toString(), "LIMA_HOME", "/new/lima"),
                dev.vmtrust.platform.Os.MACOS);
        AgentStatus running = () -> new AgentStatus.Snapshot(true, plist, true, true, "launchd says running", null);

        List<Check> checks = AgentChecks.all(running, mac, true);

        assertThat(checks).extracting(Check::id).containsExactly("agent", "agent-env", "notifications");
        assertThat(checks.get(1))
                .isEqualTo(Check.warn(
                        "agent-env",
                        null,
                        "the agent sees other homes or config than this "
                                + "shell (LIMA_HOME: the agent has /old/lima, this shell /new/lima), so it watches other VMs or reads "
                                + "another config than `vmtrust sync` here",
                        "run vmtrust install from this shell to give the agent these values"));
        assertThat(checks.get(2).hint())
                .startsWith("to see them, allow Script Editor once: System Settings > Notifications");
        assertThat(AgentChecks.all(
                        running,
                        new dev.vmtrust.platform.Environment(
                                java.util.Map.of("HOME", tmp.resolve("h").toString(), "LIMA_HOME", "/old/lima"),
                                dev.vmtrust.platform.Os.LINUX),
                        true))
                .extracting(Check::id)
                .containsExactly("agent");
    }

    @Test
    void theLastSyncWarnsWhenItFailedIsStaleOrPushedAnotherSet() throws Exception {
        StateStore store = new StateStore(tmp.resolve("state/vmtrust"));
        Instant old = f.now.minus(Duration.ofHours(2));
        lastReport(old, DoctorFixture.SET.label(), LiveStatus.FAILED);
        assertThat(AgentChecks.lastSync(store, f.now, DoctorFixture.SET.label(), Duration.ofMinutes(10)))
                .isEqualTo(Check.warn(
                        "last-sync",
                        null,
                        "last reconcile " + old + " (2h ago): failed for colima/default",
                        "vmtrust status shows why; then vmtrust sync"));
        lastReport(old, "sha256:" + "c".repeat(64), LiveStatus.UNCHANGED);
        assertThat(AgentChecks.lastSync(store, f.now, DoctorFixture.SET.label(), Duration.ofMinutes(10))
                        .message())
                .isEqualTo("last reconcile " + old + " (2h ago) pushed CA set sha256:" + "c".repeat(64)
                        + "; the CA set is now " + DoctorFixture.SET.label());
        lastReport(old, DoctorFixture.SET.label(), LiveStatus.UNCHANGED);
        assertThat(AgentChecks.lastSync(store, f.now, DoctorFixture.SET.label(), Duration.ofMinutes(10)))
                .isEqualTo(Check.warn(
                        "last-sync",
                        null,
                        "last reconcile " + old + " (2h ago); the agent reconciles every 10m, so it seems not to run",
                        "see the agent check, or vmtrust sync"));
        Files.writeString(store.dir().resolve("status.json"), "{");
        assertThat(AgentChecks.lastSync(store, f.now, null, Duration.ofMinutes(10))
                        .status())
                .isEqualTo(Check.Status.FAIL);
    }
}
