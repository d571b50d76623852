package dev.vmtrust.bench;

import dev.vmtrust.it.ColimaHome;
import dev.vmtrust.it.HostTrustStore;
import dev.vmtrust.it.TestCa;
import dev.vmtrust.it.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark of the issue "faster and lighter than the blog-post recipe", run by scripts/bench.sh as root on
 * Linux. Boots two groups of 8 sandbox VMs (sshd + dockerd + TLS registries): group "v" is synced by vmtrust,
 * group "m" by the manual recipe, so neither method ever sees the other's files. Writes target/bench/results.md
 * and results.json. Env: BENCH_RUNS (default 5), BENCH_IDLE_SECONDS (300), BENCH_STARTUP_RUNS (20),
 * BENCH_SIZES (1,4,8).
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        int runs = intEnv("BENCH_RUNS", 5);
        int idleSeconds = intEnv("BENCH_IDLE_SECONDS", 300);
        int startupRuns = intEnv("BENCH_STARTUP_RUNS", 20);
        List<Integer> sizes = List.of(System.getenv().getOrDefault("BENCH_SIZES", "1,4,8").split(",")).stream()
                .map(String::strip).map(Integer::parseInt).toList();
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path project = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path out = Files.createDirectories(project.resolve("target/bench"));
        Path work = Files.createTempDirectory(Path.of("/tmp"), "vmtb-");
        Results res = new Results(runs, idleSeconds, sizes);
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        log("work folder " + work);

        TestKeys keys = TestKeys.generate(work.resolve("keys"));
        TestCa caA = TestCa.create(work.resolve("ca-a"));
        TestCa caB = TestCa.create(work.resolve("ca-b"));
        Vmtrust vmtrust = new Vmtrust(project, work.resolve("vmtrust"));
        Path certsV = Files.createDirectories(work.resolve("certs-v"));
        Path caFileV = Files.copy(caA.caPem(), certsV.resolve("corp.pem"));
        Path certsM = Files.createDirectories(work.resolve("certs-m"));
        Path caFileM = Files.copy(caA.caPem(), certsM.resolve("corp.pem"));

        log("6. start-up (" + startupRuns + " runs per variant)");
        res.startup = Startup.measure(vmtrust, project.resolve("target/vmtrust.jar"),
                vmtrust.config("startup", caA.caPem(), work.resolve("no-colima"), null), out.resolve("vmtrust.jsa"),
                startupRuns);

        Path storage = Files.createDirectories(work.resolve("storage"));
        log("booting " + max + " + " + max + " VMs with dockerd and two TLS registries each");
        long b0 = System.nanoTime();
        try (Fleet v = Fleet.boot("v", max, work.resolve("vms"), keys, caA, caB, storage);
             Fleet m = Fleet.boot("m", max, work.resolve("vms"), keys, caA, caB, storage)) {
            res.bootSeconds = (System.nanoTime() - b0) / 1e9;
            v.seed(storage, work.resolve("seed"));
            Map<Integer, Path> configs = new LinkedHashMap<>();
            for (int n : sizes) {
                configs.put(n, vmtrust.config("v" + n, caFileV, v.home(work.resolve("colima-v" + n), keys, n).home(), null));
            }
            Path colimaAll = work.resolve("colima-v-all");
            Path configAll = vmtrust.config("v-all", caFileV, v.home(colimaAll, keys, max).home(), null);
            ColimaHome homeM = m.home(work.resolve("colima-m"), keys, max);
            try {
                log("initial state: every VM trusts CA A");
                vmtrust.sync(configAll);
                m.members.forEach(x -> Rotation.recipe(homeM, x, caFileM));
                v.awaitPulls(v.members, 'A');
                m.awaitPulls(m.members, 'A');
                v.removeImages(v.members, 'A');
                m.removeImages(m.members, 'A');
                v.members.forEach(x -> x.trusts = 'A');
                m.members.forEach(x -> x.trusts = 'A');

                Rotation rot = new Rotation(vmtrust);
                for (int n : sizes) {
                    Results.Pair p = res.rotation(n);
                    for (int r = 0; r < runs; r++) {
                        boolean vmtrustFirst = r % 2 == 0; // alternate the order: neither method always runs first
                        for (int k = 0; k < 2; k++) {
                            if ((k == 0) == vmtrustFirst) {
                                Rotation.Run x = rot.withVmtrust(v, n, caFileV, configs.get(n), configAll);
                                p.vmtrust.add(x.totalMs());
                                p.vmtrustApply.add(x.applyMs());
                                p.vmtrustCpu.add(x.applyCpuSeconds());
                                log("1a N=" + n + " run " + (r + 1) + ": vmtrust sync " + ms(x));
                            } else {
                                Rotation.Run x = rot.manually(m, n, caFileM, homeM);
                                p.manual.add(x.totalMs());
                                p.manualApply.add(x.applyMs());
                                p.manualCpu.add(x.applyCpuSeconds());
                                log("1b N=" + n + " run " + (r + 1) + ": manual recipe " + ms(x));
                            }
                        }
                    }
                }

                log("2. no-change sync, N=" + max);
                // bring the whole group to the CA the N=max home was last given (N=1 runs may have flipped VM 1)
                Path colimaMax = work.resolve("colima-v" + max);
                char cur = v.members.get(0).trusts;
                if (v.members.stream().anyMatch(x -> x.trusts != cur)) vmtrust.sync(configs.get(max));
                vmtrust.sync(configs.get(max));
                for (int r = 0; r < runs; r++) {
                    NoChange.Run x = NoChange.measure(vmtrust, v, configs.get(max), colimaMax);
                    res.noChange.add(x.ms());
                    res.noChangeWrites += x.writes();
                    res.noChangeRestarts += x.restarts();
                    res.noChangeLogins.add(x.sshLogins());
                    log("2 run " + (r + 1) + ": " + Math.round(x.ms()) + " ms, " + x.writes() + " writes, "
                            + x.restarts() + " restarts, " + x.sshLogins() + " ssh logins");
                }

                log("3-5. the agent, N=" + max);
                Path hook = Files.writeString(work.resolve("hook.sh"), "#!/bin/sh\ncat >> '" + work.resolve("events.jsonl")
                        + "'\necho >> '" + work.resolve("events.jsonl") + "'\n");
                hook.toFile().setExecutable(true);
                Path agentConfig = vmtrust.config("agent", caFileV, colimaMax, hook);
                try (AgentBench agent = AgentBench.start(vmtrust, agentConfig, out.resolve("agent.log"),
                        work.resolve("events.jsonl"))) {
                    for (int r = 0; r < runs; r++) {
                        AgentBench.Rotation x = agent.rotate(v, caFileV);
                        res.detected.add(x.detectedMs());
                        res.started.add(x.startedMs());
                        res.endToEnd.add(x.endToEndMs());
                        log("3/4 run " + (r + 1) + ": detected " + Math.round(x.detectedMs()) + " ms, reconcile started "
                                + Math.round(x.startedMs()) + " ms, every VM pulls " + Math.round(x.endToEndMs()) + " ms");
                    }
                    res.rotatedEvents = agent.rotatedEvents();
                    agent.noChangeRounds(caFileV).forEach(res.agentNoChangeRounds::add);
                    log("5. idle for " + idleSeconds + " s");
                    res.idle = agent.idle(idleSeconds);
                    log("5: " + res.idle);
                }
            } finally {
                Rotation.closeMasters(homeM, m.members);
            }
        }
        HostTrustStore hostAfter = HostTrustStore.snapshot();
        res.hostTrustStoreUnchanged = hostAfter.equals(hostBefore);
        res.write(out, Machine.describe());
        ContainerStart.appendTo(out, work, vmtrust, keys, caA, intEnv("BENCH_CONTAINER_RUNS", 21)); // figure 7, own VM
        System.out.println(Files.readString(out.resolve("results.md")));
        if (!res.hostTrustStoreUnchanged) {
            System.err.println("bench: FAIL: the host's trust store changed");
            System.exit(1);
        }
        log("wrote " + out.resolve("results.md") + " and " + out.resolve("results.json"));
        Sh.run(List.of("rm", "-rf", work.toString()));
        System.exit(0); // the sandbox VM launcher thread is a daemon; exit now that everything is stopped
    }

    static String ms(Rotation.Run x) {
        return Math.round(x.totalMs()) + " ms (tool returned after " + Math.round(x.applyMs()) + " ms, "
                + Math.round(x.applyCpuSeconds() * 10) / 10.0 + " CPU s)";
    }

    static void log(String s) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
    }

    private static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.strip());
    }
}
