package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.doctor.LocalHttps;
import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmtrust doctor} through the real command line; every probe goes to a local HTTPS server on 127.0.0.1. */
class DoctorCommandTest {
    private static final TestCerts.Issued CORP = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private static final TestCerts.Issued PROXY = TestCerts.rootCa("CN=Proxy Root,O=Intercept");

    @TempDir
    Path tmp;

    private CliRun cli(String probe, String extra) throws Exception {
        Path ca = Files.writeString(tmp.resolve("corp.pem"), CORP.pem());
        return new CliRun(tmp.resolve("run"))
                .config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, publicRoots: none, files: [%s]}
                targets: {colima: {home: %s}, lima: {home: %s}}
                doctor: {probes: ["%s"]}
                %s""".formatted(ca, tmp.resolve("colima"), tmp.resolve("lima"), probe, extra));
    }

    @Test
    void nothingFailingExits0AndPrintsOneLinePerCheckWithNextSteps() throws Exception {
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", CORP, "localhost"))) {
            String url = "https://localhost:" + server.port() + "/v2/";
            CliRun.Result r = cli(url, "").run("doctor");

            Path root = tmp.resolve("run");
            String day = CORP.cert().notAfter().toString().substring(0, 10);
            String set = CaBundle.of(List.of(CORP.cert())).label();
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out())
                    .isEqualTo(""
                            + "ok    config              " + root.resolve("config/vmtrust/config.yaml") + " is valid\n"
                            + "ok    sources             on: files (1); public roots (none) are left out\n"
                            + "ok    keychain            off (sources.keychain.enabled: false)\n"
                            + "ok    host                off (sources.host: false)\n"
                            + "ok    source-files        file:" + tmp.resolve("corp.pem") + ": 1 CA in the set\n"
                            + "ok    ca-set              1 CA: CN=Corp Root,O=Corp (expires " + day + "); CA set " + set
                            + "\n"
                            + "ok    ca-expiry           no CA expires within 30 days (the first expires " + day + ")\n"
                            + "ok    probe-host          " + url
                            + ": the chain verifies; issued by CN=Corp Root,O=Corp, which is in the CA set; HTTP 204\n"
                            + "warn  homes               no Colima profile or Lima instance found (colima "
                            + tmp.resolve("colima")
                            + " (not found); lima " + tmp.resolve("lima") + " (not found))\n"
                            + "      next: start one (colima start, limactl start), or set targets.colima.home / targets.lima.home\n"
                            + "warn  agent               not installed ("
                            + root.resolve("config/systemd/user/vmtrust.service") + " does not exist)\n"
                            + "      next: vmtrust install, or run `vmtrust run` in the foreground\n"
                            + "warn  last-sync           no reconcile yet (" + root.resolve("state/vmtrust/status.json")
                            + " does not exist)\n"
                            + "      next: vmtrust sync\n"
                            + "doctor: 8 ok, 3 warn, 0 fail\n");
            assertThat(server.heads()).isEqualTo(1);
        }
    }

    @Test
    void jsonListsTheSameChecksAsObjectsAndAnUnknownIssuerExits3WithTheIncludeLine() throws Exception {
        try (LocalHttps server = LocalHttps.start(TestCerts.leaf("CN=localhost", PROXY, "localhost"), PROXY)) {
            String url = "https://127.0.0.1:" + server.port() + "/";
            CliRun.Result r = cli(url, "include: [\"Corp Root\"]\n").run("doctor", "--json");

            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
            List<Object> checks = Json.asList(r.json().get("checks"));
            assertThat(checks)
                    .allSatisfy(c ->
                            assertThat(Json.asObject(c)).containsOnlyKeys("id", "target", "status", "message", "hint"));
            assertThat(checks)
                    .extracting(c -> Json.asObject(c).get("id"))
                    .containsExactly(
                            "config",
                            "sources",
                            "keychain",
                            "host",
                            "source-files",
                            "ca-set",
                            "ca-expiry",
                            "probe-host",
                            "homes",
                            "agent",
                            "last-sync");
            Map<String, Object> probe = Json.asObject(checks.get(7));
            assertThat(probe)
                    .containsEntry("target", null)
                    .containsEntry("status", "fail")
                    .containsEntry(
                            "message",
                            url + ": issued by CN=Proxy Root,O=Intercept, which is neither a public root nor in the"
                                    + " CA set; VMs will not trust this server");
            assertThat((String) probe.get("hint"))
                    .startsWith("add to the config: include: [\"sha256:"
                            + PROXY.cert().sha256()
                            + "\"] (your include list leaves it out); if no source has it, save that CA as PEM");
            assertThat(Json.asObject(checks.get(0)))
                    .containsEntry("status", "ok")
                    .containsEntry("hint", null);
            assertThat(server.heads()).isZero();
        }
    }

    @Test
    void anInvalidConfigIsAFailedCheckAndExits2AfterEveryCheckIsPrinted() throws Exception {
        CliRun.Result r = cli("https://127.0.0.1:9/", "colour: blue\n").run("doctor", "--json");

        assertThat(r.exit()).isEqualTo(2);
        List<Object> checks = Json.asList(r.json().get("checks"));
        assertThat(checks).extracting(c -> Json.asObject(c).get("id")).containsExactly("config", "agent", "last-sync");
        assertThat(Json.asObject(checks.get(0)))
                .containsEntry("status", "fail")
                .containsEntry(
                        "message",
                        tmp.resolve("run/config/vmtrust/config.yaml") + ": colour: unknown key; expected one of: "
                                + "sources, include, exclude, targets, ssh, restart, notify, resync, doctor, containers")
                .containsEntry(
                        "hint", "fix " + tmp.resolve("run/config/vmtrust/config.yaml") + "; every key is optional");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun.Result r = new CliRun(tmp.resolve("run")).run("doctor", "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vmtrust: Unknown option: '--bogus'");
    }
}
