package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent process (`java -jar target/vmtrust.jar run`) against sandbox VMs: a rotated CA file reaches
 * every running VM within seconds with exactly one notification, a VM that starts later is synced without
 * any other trigger, and SIGTERM ends the process with exit code 0.
 */
class AgentIT {
    @TempDir
    Path tmp;

    @Test
    void theAgentFollowsARotationSyncsAStartingVmAndExits0OnSigterm() throws Exception {
        SandboxSupport.assumeSandbox();
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa caA = TestCa.create(tmp.resolve("ca-a"));
        TestCa caB = TestCa.create(tmp.resolve("ca-b"));
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        Path caFile = Files.copy(caA.caPem(), certs.resolve("corp.pem"));
        Path events = tmp.resolve("events.jsonl");
        Path hook = Files.writeString(tmp.resolve("hook.sh"), "#!/bin/sh\ncat >> '" + events + "'\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys);
        Path root = tmp.resolve("agent");
        Path config = Files.createDirectories(root.resolve("config")).resolve("config.yaml");
        Files.writeString(config, """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                targets: {colima: {home: %s}, lima: {home: %s}}
                notify: {desktop: false, command: [%s]}
                resync: 10m
                """.formatted(caFile, colima.home(), tmp.resolve("lima"), hook));

        try (SandboxVm a = vm(tmp.resolve("vm-a"), keys);
                SandboxVm b = vm(tmp.resolve("vm-b"), keys);
                TlsServer aOnA = TlsServer.start(a, caA, 8443, tmp.resolve("a1.log"));
                TlsServer aOnB = TlsServer.start(a, caB, 9443, tmp.resolve("a2.log"));
                TlsServer bOnB = TlsServer.start(b, caB, 9443, tmp.resolve("b2.log"))) {
            colima.running("default", a).running("work", b);
            Process agent = startAgent(root, config);
            try {
                await("initial sync", Duration.ofSeconds(30), () -> aOnA.curlExit(a) == 0);

                Path next = Files.copy(caB.caPem(), certs.resolve(".corp.pem.new"));
                long t0 = System.nanoTime();
                Files.move(next, caFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                await(
                        "rotation reaches both VMs",
                        Duration.ofSeconds(20),
                        () -> aOnB.curlExit(a) == 0 && bOnB.curlExit(b) == 0);
                long rotationMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(aOnA.curlExit(a)).as("old CA gone").isEqualTo(60);
                System.out.println("agent rotation, 2 VMs: " + rotationMs + " ms");

                Thread.sleep(1500); // let the round that follows our own YAML writes pass
                // the agent keeps one SSH session per VM: the start-up round, the rotation and the round after
                // its own YAML writes share one login
                for (SandboxVm vm : List.of(a, b)) {
                    assertThat(Files.readString(vm.consoleLog()).lines().filter(l -> l.contains("Accepted publickey")))
                            .as("SSH logins into " + vm.dir())
                            .hasSize(1);
                }
                // the test CAs are valid for 2 days, so "expiring" events come too; rotations must be exactly one
                List<String> lines = Files.readAllLines(events).stream()
                        .filter(l -> l.contains("\"event\":\"rotated\""))
                        .toList();
                assertThat(lines).as(Files.readString(events)).hasSize(1);
                Map<String, Object> event = Json.asObject(Json.parse(lines.get(0)));
                assertThat(event).containsEntry("event", "rotated").containsKey("bundle");
                assertThat(Json.asList(event.get("added"))).hasSize(1);
                assertThat(Json.asList(event.get("removed"))).hasSize(1);

                Map<String, Object> status =
                        Json.asObject(Json.parse(Files.readString(root.resolve("state/vmtrust/status.json"))));
                assertThat(status.get("bundle")).isEqualTo(event.get("bundle"));

                // a VM that starts later is synced with no other trigger
                try (SandboxVm c = vm(tmp.resolve("vm-c"), keys);
                        TlsServer cOnB = TlsServer.start(c, caB, 9443, tmp.resolve("c.log"))) {
                    assertThat(cOnB.curlExit(c)).isEqualTo(60);
                    colima.running("late", c);
                    await("starting VM synced", Duration.ofSeconds(20), () -> cOnB.curlExit(c) == 0);
                }

                // editing the config reloads the agent: point it at another file holding CA A again
                Path other = Files.copy(caA.caPem(), certs.resolve("other.pem"));
                Files.writeString(config, Files.readString(config).replace(caFile.toString(), other.toString()));
                await("config reload", Duration.ofSeconds(20), () -> aOnA.curlExit(a) == 0);
                // an invalid edit is logged and the previous config kept
                Files.writeString(config, Files.readString(config) + "colour: blue\n");
                await(
                        "invalid config logged",
                        Duration.ofSeconds(10),
                        () -> read(root.resolve("agent.log")).contains("colour: unknown key"));
                assertThat(aOnA.curlExit(a)).isZero();
            } finally {
                agent.destroy(); // SIGTERM
                assertThat(agent.waitFor(5, TimeUnit.SECONDS))
                        .as("exits within 5 s of SIGTERM")
                        .isTrue();
                assertThat(agent.exitValue()).isZero();
            }
            String log = Files.readString(root.resolve("agent.log"));
            assertThat(log)
                    .contains("reconcile started (reasons: startup)")
                    .contains("change detected: " + caFile)
                    .contains("changed; agent reloaded")
                    .contains("is invalid; keeping the previous config until it is fixed")
                    .contains("vmtrust agent stopped");
        }
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static Process startAgent(Path root, Path config) throws IOException {
        Path jar =
                Path.of(System.getProperty("vmtrust.jar", "target/vmtrust.jar")).toAbsolutePath();
        Files.createDirectories(root.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString(),
                "--config",
                config.toString(),
                "run");
        pb.environment().put("HOME", root.resolve("home").toString());
        pb.environment().put("XDG_CONFIG_HOME", root.resolve("config").toString());
        pb.environment().put("XDG_STATE_HOME", root.resolve("state").toString());
        pb.environment().remove("COLIMA_HOME");
        pb.environment().remove("LIMA_HOME");
        pb.redirectErrorStream(true).redirectOutput(root.resolve("agent.log").toFile());
        return pb.start();
    }

    static void await(String what, Duration limit, BooleanSupplier ok) throws InterruptedException {
        await(what, limit, ok, () -> "");
    }

    /** As above; {@code context} (a log, say) goes into the failure message. */
    static void await(String what, Duration limit, BooleanSupplier ok, java.util.function.Supplier<String> context)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String more = context.get();
                throw new AssertionError(
                        what + ": not within " + limit.toSeconds() + " s" + (more.isEmpty() ? "" : "\n" + more));
            }
            Thread.sleep(200);
        }
    }

    private static SandboxVm vm(Path dir, TestKeys keys) {
        return TlsRegistry.configure(SandboxVm.options(dir, FreePort.pick(), keys.publicKey()))
                .start();
    }
}
