package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-VM OCI helper (oci/vmtrust_oci.py) run by the host's python3 on fake bundles, every path under
 * VMTRUST_ROOT: what it adds to a container's spec, what it leaves alone, that it fails open, and its
 * daemon.json edits. The real runtime path (dockerd, runc, BuildKit) is ContainersIT's.
 */
class OciHelperTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String BUNDLE_AT = "/dev/vmtrust/ca-bundle.pem";
    private static final String CORP_AT = "/dev/vmtrust/corporate.pem";

    @TempDir
    Path tmp;

    Path root, helper, bundle, rootfs;

    @BeforeEach
    void setUp() throws IOException {
        dev.vmtrust.testing.Require.tool("the in-VM OCI helper runs on python3", PYTHON.toString());
        root = Files.createDirectories(tmp.resolve("root"));
        helper = tmp.resolve("vmtrust_oci.py");
        try (InputStream in = VmScript.class.getResourceAsStream("oci/vmtrust_oci.py")) {
            Files.write(helper, in.readAllBytes());
        }
        Files.createDirectories(root.resolve("etc/vmtrust/containers"));
        Files.createDirectories(root.resolve("var/log"));
        Files.createDirectories(root.resolve("etc/ssl/certs"));
        Files.writeString(root.resolve("etc/ssl/certs/ca-certificates.crt"), "PUBLIC ROOTS + CORP\n");
        Files.writeString(root.resolve("etc/vmtrust/containers/corporate.pem"), "CORP\n");
        Files.writeString(
                root.resolve("etc/vmtrust/containers/inject"),
                "/etc/ssl/certs/ca-certificates.crt\n/usr/bin/python3\n");
        bundle = Files.createDirectories(tmp.resolve("bundle"));
        rootfs = Files.createDirectories(bundle.resolve("rootfs"));
    }

    record Run(int exit, String out, String err) {}

    Run helper(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-S", helper.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(bundle.toFile());
        pb.environment().clear();
        pb.environment().put("VMTRUST_ROOT", root.toString());
        Path out = tmp.resolve("out"), err = tmp.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("helper hung");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A spec like dockerd's: /dev is a tmpfs, the rootfs is "rootfs" beside config.json. */
    void spec(List<String> env, String extra) throws IOException {
        StringBuilder e = new StringBuilder();
        for (String v : env) e.append(e.length() == 0 ? "" : ",").append(Json.write(v));
        Files.writeString(
                bundle.resolve("config.json"),
                "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],"
                        + "\"env\":[" + e + "]},\"root\":{\"path\":\"rootfs\"},\"mounts\":[{\"destination\":\"/proc\","
                        + "\"type\":\"proc\",\"source\":\"proc\"},{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}]"
                        + extra + "}");
    }

    Map<String, Object> config() throws IOException {
        return Json.asObject(Json.parse(Files.readString(bundle.resolve("config.json"))));
    }

    List<String> env() throws IOException {
        return Json.asList(Json.asObject(config().get("process")).get("env")).stream()
                .map(String::valueOf)
                .toList();
    }

    List<String> mountTargets() throws IOException {
        return Json.asList(config().get("mounts")).stream()
                .map(m -> String.valueOf(Json.asObject(m).get("destination")))
                .toList();
    }

    String log() throws IOException {
        Path f = root.resolve("var/log/vmtrust-runtime.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void createAddsTheBundleUnderDevAndTheVariablesTheImageHasNotSet() throws Exception {
        spec(List.of("PATH=/usr/bin", "PIP_CERT=", "HOME=/root"), "");

        Run r = helper(
                "spec",
                "runtime",
                "--root",
                "/run/x",
                "--log",
                "/l",
                "--log-format",
                "json",
                "create",
                "--bundle",
                bundle.toString(),
                "--pid-file",
                "/p",
                "id1");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(env())
                .contains(
                        "PATH=/usr/bin",
                        "HOME=/root",
                        "SSL_CERT_FILE=" + BUNDLE_AT,
                        "REQUESTS_CA_BUNDLE=" + BUNDLE_AT,
                        "CURL_CA_BUNDLE=" + BUNDLE_AT,
                        "PIP_CERT=" + BUNDLE_AT,
                        "GIT_SSL_CAINFO=" + BUNDLE_AT,
                        "AWS_CA_BUNDLE=" + BUNDLE_AT,
                        "NODE_EXTRA_CA_CERTS=" + CORP_AT)
                .doesNotContain("PIP_CERT=");
        List<Object> mounts = Json.asList(config().get("mounts"));
        assertThat(mounts).hasSize(4);
        assertThat(Json.asObject(mounts.get(2)))
                .containsEntry("destination", BUNDLE_AT)
                .containsEntry("source", "/etc/ssl/certs/ca-certificates.crt")
                .containsEntry("type", "bind")
                .containsEntry("options", List.of("bind", "ro", "nosuid", "nodev", "noexec"));
        assertThat(Json.asObject(mounts.get(3)))
                .containsEntry("destination", CORP_AT)
                .containsEntry("source", "/etc/vmtrust/containers/corporate.pem");
        assertThat(log()).isEmpty();
        assertThat(bundle.resolve("vmtrust.env.json")).exists();
    }

    @Test
    void aVariableTheImageSetToItsOwnFileGetsThatFilePlusTheCorporateCas() throws Exception {
        Files.createDirectories(rootfs.resolve("etc/ssl/certs"));
        Files.writeString(rootfs.resolve("etc/ssl/certs/image.pem"), "IMAGE ROOTS\n");
        Files.createDirectories(rootfs.resolve("opt/app"));
        // a relative link, resolved inside the rootfs as the container would
        Files.createSymbolicLink(rootfs.resolve("opt/app/ca.pem"), Path.of("../../etc/ssl/certs/image.pem"));
        spec(
                List.of(
                        "REQUESTS_CA_BUNDLE=/opt/app/ca.pem",
                        "SSL_CERT_FILE=/opt/app/ca.pem",
                        "CURL_CA_BUNDLE=/missing.pem",
                        "GIT_SSL_CAINFO=relative.pem"),
                "");

        helper("spec", "runtime", "create", "--bundle=" + bundle, "id1");

        assertThat(env())
                .contains(
                        "REQUESTS_CA_BUNDLE=/dev/vmtrust/merged/1.pem",
                        "SSL_CERT_FILE=/dev/vmtrust/merged/1.pem",
                        "CURL_CA_BUNDLE=/missing.pem",
                        "GIT_SSL_CAINFO=relative.pem",
                        "PIP_CERT=" + BUNDLE_AT);
        assertThat(bundle.resolve("vmtrust-merged/1.pem")).hasContent("IMAGE ROOTS\nCORP\n");
        assertThat(mountTargets()).contains("/dev/vmtrust/merged");
        assertThat(env()).filteredOn(e -> e.startsWith("REQUESTS_CA_BUNDLE=")).hasSize(1);
    }

    @Test
    void aLinkInTheImageThatPointsOutsideItsRootfsStaysInsideIt() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(tmp.resolve("host-secret.pem"), "HOST FILE\n");
        Files.createSymbolicLink(rootfs.resolve("etc/ca.pem"), Path.of("../../../host-secret.pem"));
        Files.createSymbolicLink(rootfs.resolve("etc/abs.pem"), tmp.resolve("host-secret.pem"));
        spec(List.of("SSL_CERT_FILE=/etc/ca.pem", "CURL_CA_BUNDLE=/etc/abs.pem"), "");

        helper("spec", "runtime", "create", "-b", bundle.toString(), "id1");

        assertThat(env()).contains("SSL_CERT_FILE=/etc/ca.pem", "CURL_CA_BUNDLE=/etc/abs.pem");
        assertThat(bundle.resolve("vmtrust-merged")).doesNotExist();
    }

    @Test
    void aContainerOptsOutWithItsEnvironmentOrAnAnnotation() throws Exception {
        for (String how : List.of("env", "annotation")) {
            spec(
                    how.equals("env") ? List.of("VMTRUST_INJECT=0") : List.of("A=1"),
                    how.equals("env") ? "" : ",\"annotations\":{\"dev.vmtrust.inject\":\"false\"}");
            String before = Files.readString(bundle.resolve("config.json"));

            helper("spec", "runtime", "create", "--bundle", bundle.toString(), "id1");

            assertThat(Files.readString(bundle.resolve("config.json"))).as(how).isEqualTo(before);
        }
    }

    @Test
    void buildModeEditsRuncRunOnlyAndBothModesPassOtherSubcommands() throws Exception {
        spec(List.of(), "");
        String before = Files.readString(bundle.resolve("config.json"));
        helper("spec", "build", "create", "--bundle", bundle.toString(), "id1");
        helper("spec", "runtime", "start", "id1");
        helper("spec", "runtime", "--root", "create", "state", "id1"); // "create" is --root's value here
        assertThat(Files.readString(bundle.resolve("config.json"))).isEqualTo(before);

        helper("spec", "build", "--log-format=json", "run", "--bundle", bundle.toString(), "id1");
        assertThat(env()).contains("SSL_CERT_FILE=" + BUNDLE_AT);
    }

    @Test
    void withoutADevTmpfsNothingIsAddedAndTheLogSaysWhy() throws Exception {
        Files.writeString(
                bundle.resolve("config.json"),
                "{\"process\":{\"env\":[]},\"mounts\":[{\"destination\":\"/dev\","
                        + "\"type\":\"bind\",\"source\":\"/dev\"}]}");
        String before = Files.readString(bundle.resolve("config.json"));

        Run r = helper("spec", "runtime", "create", "--bundle", bundle.toString(), "id1");

        assertThat(r.exit()).isZero();
        assertThat(Files.readString(bundle.resolve("config.json"))).isEqualTo(before);
        assertThat(log()).contains("/dev is not a tmpfs");
    }

    @Test
    void anUnparsableSpecOrAMissingBundleIsLeftAloneAndLogged() throws Exception {
        Files.writeString(bundle.resolve("config.json"), "{not json");
        Run r = helper("spec", "runtime", "create", "--bundle", bundle.toString(), "id1");
        assertThat(r.exit()).isZero();
        assertThat(Files.readString(bundle.resolve("config.json"))).isEqualTo("{not json");
        assertThat(log()).contains("is not valid JSON");

        spec(List.of(), "");
        Files.delete(root.resolve("etc/ssl/certs/ca-certificates.crt"));
        String before = Files.readString(bundle.resolve("config.json"));
        helper("spec", "runtime", "create", "--bundle", bundle.toString(), "id1");
        assertThat(Files.readString(bundle.resolve("config.json"))).isEqualTo(before);
        assertThat(log()).contains("the VM bundle /etc/ssl/certs/ca-certificates.crt is missing");
    }

    @Test
    void injectionTurnedOffLeavesNewSpecsAlone() throws Exception {
        Files.delete(root.resolve("etc/vmtrust/containers/inject"));
        spec(List.of(), "");
        String before = Files.readString(bundle.resolve("config.json"));
        helper("spec", "runtime", "create", "--bundle", bundle.toString(), "id1");
        assertThat(Files.readString(bundle.resolve("config.json"))).isEqualTo(before);
        assertThat(log()).isEmpty();
    }

    @Test
    void dockerExecGetsWhatTheContainerGotUnlessItSetsTheVariableItself() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/own.pem"), "OWN\n");
        spec(List.of("SSL_CERT_FILE=/etc/own.pem"), "");
        helper("spec", "runtime", "create", "--bundle", bundle.toString(), "id1");
        Path process = tmp.resolve("process.json");
        Files.writeString(
                process, "{\"args\":[\"sh\"],\"env\":[\"SSL_CERT_FILE=/etc/own.pem\",\"PIP_CERT=/mine.pem\"]}");

        helper(
                "spec",
                "runtime",
                "--root",
                "/r",
                "exec",
                "--process",
                process.toString(),
                "--detach",
                "--pid-file",
                bundle.resolve("abc.pid").toString(),
                "id1");

        List<String> env = Json.asList(
                        Json.asObject(Json.parse(Files.readString(process))).get("env"))
                .stream()
                .map(String::valueOf)
                .toList();
        assertThat(env)
                .contains(
                        "SSL_CERT_FILE=/dev/vmtrust/merged/1.pem", "PIP_CERT=/mine.pem", "CURL_CA_BUNDLE=" + BUNDLE_AT)
                .doesNotContain("SSL_CERT_FILE=/etc/own.pem");

        // an exec in a container created without injection: no record beside its pid file, nothing added
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(process, "{\"env\":[]}");
        helper(
                "spec",
                "runtime",
                "exec",
                "--process",
                process.toString(),
                "--pid-file",
                other.resolve("x.pid").toString(),
                "id2");
        assertThat(Files.readString(process)).isEqualTo("{\"env\":[]}");
    }

    @Test
    void daemonJsonKeepsEveryOtherKeyAndNeverTakesOverAnotherDefaultRuntime() throws Exception {
        Path dj = Files.createDirectories(root.resolve("etc/docker")).resolve("daemon.json");
        Files.writeString(
                dj,
                "{\"features\": {\"buildkit\": true}, \"runtimes\": {\"nvidia\": {\"path\": \"/usr/bin/nvidia\"}}}");

        assertThat(helper("daemon-json", "status").out()).isEqualTo("absent\n");
        assertThat(helper("daemon-json", "on").out()).isEqualTo("changed\n");
        assertThat(helper("daemon-json", "on").out()).isEqualTo("same\n");
        assertThat(helper("daemon-json", "status").out()).isEqualTo("on\n");
        Map<String, Object> on = Json.asObject(Json.parse(Files.readString(dj)));
        assertThat(on).containsEntry("default-runtime", "vmtrust").containsKey("features");
        assertThat(Json.asObject(on.get("runtimes"))).containsKeys("nvidia", "vmtrust");

        assertThat(helper("daemon-json", "default-runc").out()).isEqualTo("changed\n");
        assertThat(Json.asObject(Json.parse(Files.readString(dj)))).containsEntry("default-runtime", "runc");
        assertThat(helper("daemon-json", "drop-runc").out()).isEqualTo("changed\n");
        assertThat(helper("daemon-json", "keep").out()).isEqualTo("same\n");
        assertThat(helper("daemon-json", "status").out()).isEqualTo("registered\n");
        assertThat(helper("daemon-json", "off").out()).isEqualTo("changed\n");
        Map<String, Object> off = Json.asObject(Json.parse(Files.readString(dj)));
        assertThat(off).doesNotContainKey("default-runtime");
        assertThat(Json.asObject(off.get("runtimes"))).containsOnlyKeys("nvidia");

        Files.writeString(dj, "{\"default-runtime\": \"nvidia\"}");
        Run blocked = helper("daemon-json", "on");
        assertThat(blocked.exit()).isEqualTo(3);
        assertThat(blocked.out()).isEqualTo("blocked nvidia\n");
        assertThat(Files.readString(dj)).isEqualTo("{\"default-runtime\": \"nvidia\"}");

        Files.writeString(dj, "{broken");
        Run broken = helper("daemon-json", "on");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(Files.readString(dj)).isEqualTo("{broken");

        Files.delete(dj);
        assertThat(helper("daemon-json", "on").out()).isEqualTo("changed\n");
        assertThat(Files.readString(dj, StandardCharsets.UTF_8)).contains("\"default-runtime\": \"vmtrust\"");
    }
}
