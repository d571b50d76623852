package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that the product really restarts the engine: dockerd caches its roots, so `docker pull` from a
 * registry signed by the corporate CA still fails after update-ca-certificates and works only after a restart.
 */
class DockerSyncIT {
    @TempDir
    Path tmp;

    @Test
    void aPullThatFailedWithX509WorksAfterOneSyncAndABusyEngineIsRestartedOnlyWhenIdle() throws Exception {
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
                TlsRegistry registry = TlsRegistry.start(vm, ca, tmp.resolve("registry"))) {
            String image = registry.seedImage("tiny");
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            CliRun cli =
                    new CliRun(tmp.resolve("run")).config("""
                    sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                    targets: {colima: {home: %s}, lima: {home: %s}}
                    """.formatted(caFile, colima.home(), tmp.resolve("lima")));
            ExecResult before = vm.exec("docker", "pull", image);
            assertThat(before.output()).contains("x509");

            CliRun.Result r = cli.run("sync", "--json");

            assertThat(r.exit()).as(r.err()).isZero();
            Map<String, Object> t = target(r);
            assertThat(t).containsEntry("result", "updated").containsEntry("restarted", List.of("docker"));
            ExecResult after = vm.exec("docker", "pull", image);
            assertThat(after.exitCode()).as(after.output()).isZero();

            // a busy engine: with a container running, auto defers the restart and the container keeps running
            ExecResult run = vm.exec("docker", "run", "-d", "--name", "busy", image, "/bin/sh", "-c", "sleep 600");
            assertThat(run.exitCode()).as(run.output()).isZero();
            Files.copy(rotated.caPem(), caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            CliRun.Result busy = cli.run("sync", "--json");
            assertThat(busy.exit()).as(busy.err()).isZero();
            assertThat(target(busy))
                    .containsEntry("result", "pending-restart")
                    .containsEntry("pendingRestart", List.of("docker"))
                    .containsEntry("containersRunning", 1L)
                    .containsEntry("restarted", List.of());
            assertThat(vm.exec("docker", "inspect", "-f", "{{.State.Running}}", "busy")
                            .stdout()
                            .strip())
                    .isEqualTo("true");
            assertThat(vm.exec("cat", "/etc/vmtrust/restart-pending").stdout().strip())
                    .isEqualTo("docker");

            // once the container is gone, the next sync (nothing else to change) finishes the restart
            vm.exec("docker", "rm", "-f", "busy");
            CliRun.Result idle = cli.run("sync", "--json");
            assertThat(target(idle))
                    .containsEntry("result", "updated")
                    .containsEntry("restarted", List.of("docker"))
                    .containsEntry("added", 0L)
                    .containsEntry("removed", 0L)
                    .containsEntry("pendingRestart", List.of());
            assertThat(vm.exec("test", "-e", "/etc/vmtrust/restart-pending").exitCode())
                    .isNotZero();
            CliRun.Result quiet = cli.run("sync", "--json");
            assertThat(target(quiet)).containsEntry("result", "unchanged").containsEntry("restarted", List.of());

            buildWithSecret(vm, cli, image);
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /**
     * README "Docker builds": the CA set goes in as a build secret (`vmtrust export` + `--secret`), is visible
     * to the RUN step, and never lands in an image layer.
     */
    private void buildWithSecret(SandboxVm vm, CliRun cli, String image) throws Exception {
        Path caSet = tmp.resolve("ca-set.pem");
        assertThat(cli.run("export", "--out", caSet.toString()).exit()).isZero();
        String dockerfile = "FROM " + image + "\n"
                + "RUN --mount=type=secret,id=corp-ca,target=/corp-ca.pem grep -q 'BEGIN CERTIFICATE' /corp-ca.pem\n";
        Path context = Files.createDirectories(tmp.resolve("build"));
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        vm.execWithInput(caSet, "sh", "-c", "mkdir -p /root/build && cat > /root/ca-set.pem");
        vm.execWithInput(context.resolve("Dockerfile"), "sh", "-c", "cat > /root/build/Dockerfile");
        // Debian's docker client (20.10) has BuildKit built in; a newer client on PATH may want the buildx plugin
        ExecResult build = vm.exec(
                "env",
                "DOCKER_BUILDKIT=1",
                "/usr/bin/docker",
                "build",
                "--secret",
                "id=corp-ca,src=/root/ca-set.pem",
                "-t",
                "with-secret",
                "/root/build");
        assertThat(build.exitCode()).as(build.output()).isZero();
        String b64Line = Files.readAllLines(caSet).get(1);
        ExecResult saved = vm.exec("sh", "-c", "docker save with-secret | grep -c -a -F '" + b64Line + "' || true");
        assertThat(saved.stdout().strip()).as("CA bytes in the image").isEqualTo("0");
    }

    private static Map<String, Object> target(CliRun.Result r) {
        return Json.asObject(Json.asList(r.json().get("targets")).get(0));
    }
}
