package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Debian host whose proxy root was installed the Debian way, with no vmtrust config at all (issue 13):
 * in a private mount namespace ({@code unshare -m}) temporary folders are bound over
 * /usr/local/share/ca-certificates, /etc/ssl/certs, /etc/ca-certificates/update.d (empty: Debian's
 * jks-keystore hook would run dpkg-trigger against the host's dpkg database) and /etc/ca-certificates.conf
 * (a copy); the real update-ca-certificates installs the root there, and the real jar runs inside. The
 * host's own store is never touched, and this test does not depend on what it holds.
 */
class HostStoreIT {
    @TempDir
    Path tmp;

    private HostTrustStore hostBefore;
    private String confBefore;

    @BeforeEach
    void prerequisites() throws Exception {
        SandboxSupport.assumeSandbox();
        hostBefore = HostTrustStore.snapshot();
        confBefore = sha256(Path.of("/etc/ca-certificates.conf"));
    }

    /** Runs {@code commands} (sh) in a private mount namespace with the store folders replaced; $T is tmp. */
    private String inNamespace(String commands) throws Exception {
        String script = """
                set -eu
                mkdir -p "$T/ns/local" "$T/ns/certs" "$T/ns/update.d" "$T/home" "$T/xdg-config" "$T/state"
                cp /etc/ca-certificates.conf "$T/ns/ca-certificates.conf"
                mount --bind "$T/ns/local" /usr/local/share/ca-certificates
                mount --bind "$T/ns/certs" /etc/ssl/certs
                mount --bind "$T/ns/update.d" /etc/ca-certificates/update.d
                mount --bind "$T/ns/ca-certificates.conf" /etc/ca-certificates.conf
                cp "$T/ca/ca.pem" /usr/local/share/ca-certificates/corp-root.crt
                update-ca-certificates --fresh > "$T/update.log" 2>&1
                grep -c 'BEGIN CERTIFICATE' /etc/ssl/certs/ca-certificates.crt > "$T/merged.count"
                vmtrust() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$T/home" XDG_CONFIG_HOME="$T/xdg-config" \\
                    XDG_STATE_HOME="$T/state" COLIMA_HOME="$T/colima" "$JAVA" -jar "$JAR" "$@"; }
                """ + commands;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar =
                Path.of(System.getProperty("vmtrust.jar", "target/vmtrust.jar")).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("ns.log").toFile());
        pb.environment().putAll(Map.of("T", tmp.toString(), "JAVA", java.toString(), "JAR", jar.toString()));
        Process p = pb.start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS))
                .as("namespace script finished")
                .isTrue();
        String log = Files.readString(tmp.resolve("ns.log"));
        assertThat(p.exitValue()).as(log).isZero();
        return log;
    }

    @Test
    void aRootInstalledTheDebianWayIsListedSyncedIntoAVmAndInTheFullExportWithNoConfig() throws Exception {
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        CaCert root = CaCert.fromDer(java.util.Base64.getMimeDecoder()
                .decode(Files.readString(ca.caPem()).replaceAll("-----[A-Z ]+-----", "")));
        try (SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey()))
                        .start();
                TlsServer server = TlsServer.start(vm, ca, 8443, tmp.resolve("server.log"))) {
            ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            assertThat(server.curlExit(vm)).as("curl before sync").isEqualTo(60);

            inNamespace("""
                    vmtrust list > "$T/list.txt" 2> "$T/list.err"
                    vmtrust list --json > "$T/list.json"
                    vmtrust export --full --out "$T/full.pem" 2> "$T/export.err"
                    vmtrust sync --json > "$T/sync.json" 2> "$T/sync.err"
                    vmtrust env > "$T/env.sh"
                    . "$T/env.sh"
                    openssl verify -CAfile "$SSL_CERT_FILE" "$T/ca/server.pem" > "$T/env-verify.txt" 2>&1
                    """);

            assertThat(Files.readString(tmp.resolve("update.log"))).contains(" added, 0 removed; done.");
            assertThat(Integer.parseInt(
                            Files.readString(tmp.resolve("merged.count")).strip()))
                    .as("merged bundle")
                    .isGreaterThan(1);
            String label = "host:/usr/local/share/ca-certificates/corp-root.crt";
            List<String> lines = Files.readAllLines(tmp.resolve("list.txt"));
            assertThat(lines).as(Files.readString(tmp.resolve("list.err"))).hasSize(3);
            assertThat(lines.get(0))
                    .isEqualTo("1 CA (CA set "
                            + dev.vmtrust.trust.CaBundle.of(List.of(root)).label() + "):");
            assertThat(lines.get(1))
                    .isEqualTo("  " + root.fp16() + "  " + root.subject() + "  expires " + root.notAfter() + "  from "
                            + label);
            assertThat(lines.get(2))
                    .matches(
                            "public roots: Debian's shipped set \\(/usr/share/ca-certificates/mozilla, [0-9]{2,} roots\\)");

            Map<String, Object> json = Json.asObject(Json.parse(Files.readString(tmp.resolve("list.json"))));
            assertThat(Json.asObject(json.get("publicRoots")))
                    .containsEntry("reference", "debian")
                    .containsEntry("path", "/usr/share/ca-certificates/mozilla");
            assertThat(json.get("rejected")).isEqualTo(List.of());

            Map<String, Object> sync = Json.asObject(Json.parse(Files.readString(tmp.resolve("sync.json"))));
            assertThat(sync.get("cas"))
                    .as(Files.readString(tmp.resolve("sync.err")))
                    .isEqualTo(1L);
            assertThat(Json.asObject(Json.asList(sync.get("targets")).get(0)))
                    .containsEntry("name", "colima/default")
                    .containsEntry("result", "updated");
            assertThat(server.curlExit(vm)).as("curl in the VM after sync").isZero();

            String full = Files.readString(tmp.resolve("full.pem"));
            assertThat(full.split("BEGIN CERTIFICATE", -1).length - 1)
                    .as("public roots + CA set")
                    .isGreaterThan(100);
            Cmd.check(
                    "openssl",
                    "verify",
                    "-CAfile",
                    tmp.resolve("full.pem").toString(),
                    ca.serverCert().toString());
            assertThat(Files.readString(tmp.resolve("env.sh")))
                    .contains("export SSL_CERT_FILE='" + tmp.resolve("state/vmtrust/bundle.pem") + "'");
            assertThat(Files.readString(tmp.resolve("env-verify.txt"))).isEqualTo(ca.serverCert() + ": OK\n");
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
        assertThat(sha256(Path.of("/etc/ca-certificates.conf"))).isEqualTo(confBefore);
    }

    @Test
    void withNothingInstalledNoCaFoundNamesTheHostStoreAndTheDebianFix() throws Exception {
        TestCa.create(tmp.resolve("ca"));
        String log = inNamespace("""
                rm /usr/local/share/ca-certificates/corp-root.crt
                update-ca-certificates --fresh > /dev/null 2>&1
                set +e
                vmtrust list > "$T/list.txt" 2>&1
                echo "exit=$?"
                """);
        assertThat(log).contains("exit=4");
        assertThat(Files.readString(tmp.resolve("list.txt")))
                .startsWith("no CA found\n"
                        + "looked in: vendor files /opt/netskope/stagent/data/nscacert.pem; the host store (Debian/Ubuntu)"
                        + " /usr/local/share/ca-certificates, /usr/share/ca-certificates (lines of /etc/ca-certificates.conf outside mozilla/)\n"
                        + "next: install your proxy's root CA the Debian/Ubuntu way: sudo cp corp-root.crt /usr/local/share/ca-certificates/"
                        + " && sudo update-ca-certificates; or list its file under sources.files in "
                        + tmp.resolve("xdg-config/vmtrust/config.yaml") + "\n");
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
