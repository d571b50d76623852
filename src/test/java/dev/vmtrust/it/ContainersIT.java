package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * containers.inject on the real dockerd (Debian's 20.10, BuildKit built in, PATH-only) in a sandbox VM, with images
 * made offline (CurlImage: the host's curl and a Mozilla-only bundle), {@code --pull never} and the VM's own network:
 * a container, a legacy build (DOCKER_BUILDKIT=0) and a BuildKit build reach a server signed by the corporate CA only
 * after a sync with inject on; the images keep no trace; Colima's rewrite of daemon.json, a rotation, an opt-out, a
 * broken helper, turning it off (an earlier container still starts) and the clean-up once nothing uses the runtime.
 */
class ContainersIT {
    private static final String IMAGE = "curlimg";
    private static final String OWN_BUNDLE_IMAGE = "curlimg-own";
    private static final String COLIMA_DAEMON_JSON = "{\n  \"features\": {\n    \"buildkit\": true\n  }\n}";

    @TempDir
    Path tmp;

    @Test
    void containersAndBothBuildersTrustTheSetAfterOneSyncAndTheVmIsGivenBackWhenItIsTurnedOff() throws Exception {
        SandboxSupport.assumeDocker();
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        TestCa rotated = TestCa.create(tmp.resolve("ca2"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        try (SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey()))
                        .docker(true)
                        .start();
                TlsServer corp = TlsServer.start(vm, ca, 8443, tmp.resolve("corp.log"));
                TlsServer next = TlsServer.start(vm, rotated, 8444, tmp.resolve("next.log"))) {
            // what Colima leaves in daemon.json; the test puts it back before each "colima start"
            colimaStart(vm);
            CurlImage.importInto(vm, tmp, IMAGE);
            ExecResult own = vm.exec(
                    "sh",
                    "-c",
                    "printf 'FROM " + IMAGE + "\\nRUN mkdir -p /opt/app && ln -s"
                            + " ../../etc/ssl/certs/ca-certificates.crt /opt/app/ca.pem\\nENV CURL_CA_BUNDLE=/opt/app/ca.pem\\n'"
                            + " | DOCKER_BUILDKIT=0 /usr/bin/docker build -q -t " + OWN_BUNDLE_IMAGE + " -");
            assertThat(own.exitCode()).as(own.output()).isZero();
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            CliRun cli = new CliRun(tmp.resolve("run"));
            config(cli, caFile, colima, true);

            // before: neither a container nor either builder trusts the corporate CA
            assertThat(curlInContainer(vm, corp).exitCode()).isEqualTo(60);
            for (boolean kit : new boolean[] {false, true}) {
                ExecResult failed = build(vm, kit ? "kit-before" : "legacy-before", kit, corp);
                assertThat(failed.exitCode()).isNotZero();
                // the legacy builder may print the step's stderr one coloured character at a time
                assertThat(failed.output().replaceAll("\u001b\\[[0-9;]*m", "")).contains("SSL certificate problem");
            }

            CliRun.Result on = cli.run("sync", "--json");
            assertThat(on.exit()).as(on.out() + on.err()).isZero();
            assertThat(target(on)).containsEntry("result", "updated").containsEntry("restarted", List.of("docker"));
            assertThat(vm.exec("docker", "info", "--format", "{{.DefaultRuntime}}")
                            .stdout()
                            .strip())
                    .isEqualTo("vmtrust");

            String imagesBefore =
                    vm.exec("docker", "image", "ls", "-q", "--no-trunc").stdout();
            String containersBefore =
                    vm.exec("docker", "ps", "-aq", "--no-trunc").stdout();
            Map<String, Object> doctor = containersCheck(cli);
            assertThat(doctor)
                    .as("doctor proves it with a container of an image already in the VM")
                    .containsEntry("status", "ok");
            assertThat(String.valueOf(doctor.get("message"))).contains("injection active", "build steps too");
            // as sets: docker lists images with the same creation time in no fixed order
            assertThat(vm.exec("docker", "image", "ls", "-q", "--no-trunc")
                            .stdout()
                            .lines())
                    .as("doctor added no image")
                    .containsExactlyInAnyOrderElementsOf(imagesBefore.lines().toList());
            assertThat(vm.exec("docker", "ps", "-aq", "--no-trunc").stdout().lines())
                    .as("its container is gone")
                    .containsExactlyInAnyOrderElementsOf(
                            containersBefore.lines().toList());

            // after: the container, any uid, both builders, an image that set its own bundle, docker exec
            ExecResult run = curlInContainer(vm, corp);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(curlInContainer(vm, corp, "-u", "65534").exitCode())
                    .as("any uid reads the bundle")
                    .isZero();
            ExecResult legacy = build(vm, "legacy", false, corp);
            assertThat(legacy.exitCode()).as(legacy.output()).isZero();
            ExecResult kit = build(vm, "kit", true, corp);
            assertThat(kit.exitCode()).as(kit.output()).isZero();
            noTrace(vm, "legacy");
            noTrace(vm, "kit");
            ExecResult merged = vm.exec(
                    "docker",
                    "run",
                    "--rm",
                    "--pull",
                    "never",
                    "--network",
                    "host",
                    OWN_BUNDLE_IMAGE,
                    "sh",
                    "-c",
                    "echo $CURL_CA_BUNDLE; grep -c 'BEGIN CERTIFICATE' $CURL_CA_BUNDLE; " + curl(corp));
            assertThat(merged.exitCode()).as(merged.output()).isZero();
            assertThat(merged.stdout().lines().toList())
                    .startsWith("/dev/vmtrust/merged/1.pem", Integer.toString(CurlImage.mozillaCount() + 1));
            assertThat(vm.exec(
                                    "docker",
                                    "run",
                                    "-d",
                                    "--name",
                                    "long",
                                    "--pull",
                                    "never",
                                    "--network",
                                    "host",
                                    IMAGE,
                                    "sleep",
                                    "600")
                            .exitCode())
                    .isZero();
            ExecResult exec = vm.exec("docker", "exec", "long", "sh", "-c", curl(corp));
            assertThat(exec.exitCode())
                    .as("docker exec gets the variables too: " + exec.output())
                    .isZero();
            vm.exec("docker", "rm", "-f", "long");

            // opting out, and the stock runtime, bypass it
            assertThat(curlInContainer(vm, corp, "-e", "VMTRUST_INJECT=0").exitCode())
                    .isEqualTo(60);
            assertThat(curlInContainer(vm, corp, "--runtime=runc").exitCode()).isEqualTo(60);

            // colima start: a fresh daemon.json and a docker restart; the drop-in puts the runtime back
            colimaStart(vm);
            assertThat(vm.exec("docker", "info", "--format", "{{.DefaultRuntime}}")
                            .stdout()
                            .strip())
                    .isEqualTo("vmtrust");
            assertThat(curlInContainer(vm, corp).exitCode()).isZero();
            CliRun.Result quiet = cli.run("sync", "--json");
            assertThat(target(quiet)).containsEntry("result", "unchanged");

            // a broken helper never stops a container: python3 fails, then a helper that does not parse
            assertThat(vm.exec("mount", "--bind", "/bin/false", "/usr/bin/python3")
                            .exitCode())
                    .isZero();
            ExecResult noPython = curlInContainer(vm, corp);
            vm.exec("umount", "/usr/bin/python3");
            assertThat(noPython.exitCode())
                    .as("the container ran, without the CA: " + noPython.output())
                    .isEqualTo(60);
            assertThat(vm.exec("cat", "/var/log/vmtrust-runtime.log").stdout())
                    .contains("/usr/bin/python3 exited 1 on create; the container runs without the CAs");
            vm.exec("sh", "-c", "echo 'syntax error(' >> /etc/vmtrust/runtime/vmtrust_oci.py");
            assertThat(curlInContainer(vm, corp).exitCode()).isEqualTo(60);
            CliRun.Result repair = cli.run("sync", "--json");
            assertThat(target(repair)).as(repair.out()).containsEntry("result", "updated");
            assertThat(curlInContainer(vm, corp).exitCode())
                    .as("the next sync repaired the helper")
                    .isZero();

            // rotation: the next container trusts the new CA and no longer the old one
            Files.copy(rotated.caPem(), caFile, StandardCopyOption.REPLACE_EXISTING);
            CliRun.Result rotation = cli.run("sync", "--json");
            assertThat(target(rotation)).as(rotation.out()).containsEntry("result", "updated");
            assertThat(curlInContainer(vm, next).exitCode()).isZero();
            assertThat(curlInContainer(vm, corp).exitCode()).isEqualTo(60);

            // off: new containers are plain, one created while it was on still starts, also after colima start
            assertThat(vm.exec(
                                    "docker",
                                    "create",
                                    "--name",
                                    "earlier",
                                    "--pull",
                                    "never",
                                    "--network",
                                    "host",
                                    IMAGE,
                                    "sh",
                                    "-c",
                                    curl(next))
                            .exitCode())
                    .isZero();
            config(cli, caFile, colima, false);
            CliRun.Result off = cli.run("sync", "--json");
            assertThat(target(off)).as(off.out()).containsEntry("result", "updated");
            assertThat(vm.exec("docker", "info", "--format", "{{.DefaultRuntime}}")
                            .stdout()
                            .strip())
                    .isEqualTo("runc");
            assertThat(curlInContainer(vm, next).exitCode()).isEqualTo(60);
            assertThat(vm.exec("docker", "start", "-a", "earlier").exitCode())
                    .as("runs through the passthrough, without the CA")
                    .isEqualTo(60);
            colimaStart(vm);
            ExecResult again = vm.exec("docker", "start", "-a", "earlier");
            assertThat(again.output()).doesNotContain("unknown or invalid runtime");
            assertThat(again.exitCode()).isEqualTo(60);
            assertThat(target(cli.run("sync", "--json")))
                    .as("a kept passthrough is in sync")
                    .containsEntry("result", "unchanged");
            assertThat(containersCheck(cli)).containsEntry("status", "ok");

            // once nothing uses the runtime, the next sync removes everything and daemon.json is Colima's again
            vm.exec("docker", "rm", "earlier");
            CliRun.Result clean = cli.run("sync", "--json");
            assertThat(target(clean)).as(clean.out()).containsEntry("result", "updated");
            assertThat(vm.exec("test", "-e", "/etc/vmtrust/runtime").exitCode()).isNotZero();
            assertThat(vm.exec("test", "-e", "/etc/vmtrust/containers").exitCode())
                    .isNotZero();
            assertThat(vm.exec("test", "-e", "/etc/systemd/system/docker.service.d/vmtrust.conf")
                            .exitCode())
                    .isNotZero();
            assertThat(vm.exec("cat", "/etc/docker/daemon.json").stdout()).isEqualTo(COLIMA_DAEMON_JSON);
            assertThat(target(cli.run("sync", "--json"))).containsEntry("result", "unchanged");
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    @Test
    void theProvisionEntryTurnsItOnAtBootBeforeColimaRestartsDocker() throws Exception {
        SandboxSupport.assumeDocker();
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        Path caFile = Files.copy(ca.caPem(), tmp.resolve("corp.pem"));
        ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).stopped("default");
        CliRun cli = new CliRun(tmp.resolve("run"));
        config(cli, caFile, colima, true);
        CliRun.Result persisted = cli.run("sync", "--json");
        assertThat(target(persisted)).as(persisted.out()).containsEntry("persisted", "updated");
        List<String> scripts = ProvisionScripts.systemScripts(colima.profileYaml("default"));
        assertThat(scripts).hasSize(1);

        try (SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey()))
                        .docker(true)
                        .start();
                TlsServer corp = TlsServer.start(vm, ca, 8443, tmp.resolve("corp.log"))) {
            CurlImage.importInto(vm, tmp, IMAGE);
            // boot: Lima runs the system script as root (no arguments), then Colima writes daemon.json and restarts
            // docker
            Path local = Files.writeString(tmp.resolve("provision.sh"), scripts.get(0));
            assertThat(vm.execWithInput(
                                    local, "sh", "-c", "cat > /var/lib/provision-0 && chmod 755 /var/lib/provision-0")
                            .exitCode())
                    .isZero();
            ExecResult boot = vm.exec("sh", "-c", "\"$0\"", "/var/lib/provision-0");
            assertThat(boot.exitCode()).as(boot.output()).isZero();
            assertThat(boot.stdout()).contains("vmtrust: containers on ");
            colimaStart(vm);

            ExecResult run = curlInContainer(vm, corp);
            assertThat(run.exitCode()).as(run.output()).isZero();
            ExecResult kit = build(vm, "kit", true, corp);
            assertThat(kit.exitCode()).as(kit.output()).isZero();

            // uninstall --purge while dockerd still runs with the wrapper's folder on its PATH: no container uses the
            // runtime, so everything goes at once, and BuildKit (which looks runc up on that PATH per step) keeps
            // working
            colima.running("default", vm);
            CliRun.Result purge = cli.runner(new dev.vmtrust.testing.FakeCommandRunner().fallback(3, "inactive\n", ""))
                    .run("uninstall", "--purge");
            assertThat(purge.exit()).as(purge.out() + purge.err()).isZero();
            assertThat(vm.exec("test", "-e", "/etc/vmtrust").exitCode())
                    .as(purge.out())
                    .isNotZero();
            assertThat(vm.exec("test", "-e", "/etc/systemd/system/docker.service.d/vmtrust.conf")
                            .exitCode())
                    .isNotZero();
            assertThat(vm.exec("cat", "/etc/docker/daemon.json").stdout()).isEqualTo(COLIMA_DAEMON_JSON);
            assertThat(vm.exec("docker", "info", "--format", "{{.DefaultRuntime}}")
                            .stdout()
                            .strip())
                    .isEqualTo("runc");
            assertThat(vm.exec("sh", "-c", "tr '\\000' '\\n' </proc/$(cat /run/docker.pid)/environ | grep '^PATH='")
                            .stdout())
                    .startsWith("PATH=/etc/vmtrust/runtime/bin:");
            ExecResult plainBuild = vm.exec(
                    "sh",
                    "-c",
                    "printf 'FROM " + IMAGE + "\\nRUN echo built\\n' | env DOCKER_BUILDKIT=1"
                            + " /usr/bin/docker build --progress plain -t after-purge -");
            assertThat(plainBuild.exitCode()).as(plainBuild.output()).isZero();
            assertThat(vm.exec("docker", "run", "--rm", "--pull", "never", IMAGE, "true")
                            .exitCode())
                    .isZero();
        }
    }

    private static void config(CliRun cli, Path caFile, ColimaHome colima, boolean inject) {
        cli.config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                targets: {colima: {home: %s}, lima: {home: %s}}
                containers: {inject: %s}
                doctor: {probes: []}
                """.formatted(caFile, colima.home(), colima.home().resolveSibling("lima"), inject));
    }

    /** doctor's containers check for the one target. */
    private static Map<String, Object> containersCheck(CliRun cli) {
        CliRun.Result r = cli.run("doctor", "--json");
        return Json.asList(r.json().get("checks")).stream()
                .map(Json::asObject)
                .filter(c -> "containers".equals(c.get("id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no containers check: " + r.out()));
    }

    /** What {@code colima start} does to docker: writes its daemon.json, then restarts docker.service. */
    private static void colimaStart(SandboxVm vm) {
        ExecResult r = vm.exec(
                "sh",
                "-c",
                "mkdir -p /etc/docker && printf '%s' '" + COLIMA_DAEMON_JSON
                        + "' > /etc/docker/daemon.json && systemctl restart docker");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** curl in the container, reaching the server's name at the VM namespace's [::1] (no DNS, no /etc/hosts needed). */
    private static String curl(TlsServer server) {
        return "curl -sS -o /dev/null --max-time 10 --resolve " + TlsRegistry.HOST + ":" + server.port() + ":["
                + TlsRegistry.ADDRESS + "] " + server.url();
    }

    private static ExecResult curlInContainer(SandboxVm vm, TlsServer server, String... options) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "--pull", "never", "--network", "host"));
        argv.addAll(List.of(options));
        argv.addAll(List.of(IMAGE, "sh", "-c", curl(server)));
        return vm.exec(argv.toArray(String[]::new));
    }

    /**
     * A build whose RUN step reaches the server and then replaces the image's own bundle the way Debian's
     * update-ca-certificates does (rm, then mv): it works because nothing is mounted over that file.
     */
    private static ExecResult build(SandboxVm vm, String tag, boolean buildkit, TlsServer server) {
        String dockerfile =
                "FROM " + IMAGE + "\\nRUN " + curl(server) + " && cp /etc/ssl/certs/ca-certificates.crt /tmp/b"
                        + " && rm -f /etc/ssl/certs/ca-certificates.crt && mv /tmp/b /etc/ssl/certs/ca-certificates.crt\\n";
        return vm.exec(
                "sh",
                "-c",
                "printf '" + dockerfile + "' | env DOCKER_BUILDKIT=" + (buildkit ? 1 : 0)
                        + " /usr/bin/docker build --network host " + (buildkit ? "--progress plain " : "") + "-t " + tag
                        + " -");
    }

    /** docker save, every layer listed: nothing of vmtrust's, no mount stub under dev/, none of the variables. */
    private static void noTrace(SandboxVm vm, String image) {
        ExecResult layers = vm.exec(
                "sh",
                "-c",
                "rm -rf /tmp/save && mkdir /tmp/save && docker save " + image
                        + " | tar -C /tmp/save -x && for l in /tmp/save/*/layer.tar; do tar -tf \"$l\"; done");
        assertThat(layers.exitCode()).as(layers.output()).isZero();
        List<String> entries = layers.stdout().lines().toList();
        assertThat(entries).contains("etc/ssl/certs/ca-certificates.crt");
        assertThat(entries)
                .noneMatch(e -> e.contains("vmtrust"))
                .noneMatch(e -> e.startsWith("dev/") && !e.equals("dev/"));
        String env = vm.exec("docker", "image", "inspect", "-f", "{{json .Config.Env}}", image)
                .stdout();
        assertThat(env).doesNotContain("SSL_CERT_FILE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "/dev/vmtrust");
    }

    private static Map<String, Object> target(CliRun.Result r) {
        return Json.asObject(Json.asList(r.json().get("targets")).get(0));
    }
}
