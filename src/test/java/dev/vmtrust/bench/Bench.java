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
 * The benchmark of issue 16 ("the agent at the floor"), run by scripts/bench.sh as root on Linux. Boots two
 * groups of sandbox VMs (sshd + dockerd + TLS registries): group "v" is synced by vmtrust (`sync` and the agent),
 * group "m" by the blog recipe (VM by VM, and fired at all N at once), so neither method ever sees the other's
 * files. Writes target/bench/results.md and results.json. Env: BENCH_RUNS (default 5), BENCH_IDLE_SECONDS (300),
 * BENCH_STARTUP_RUNS (20), BENCH_SIZES (1,4,8); BENCH_QUICK=1 changes those defaults to 1, 20, 3 and 1,4 (a few
 * minutes, for development; its numbers are not the README's). BENCH_BASELINE_JAR=path/to/vmtrust.jar adds an A/B:
 * that build's agent on a third group of VMs ("b"), its rotations interleaved with this build's and the recipe's
 * (on a shared machine, only interleaved runs compare two builds fairly).
 */
public final class Bench {
    /** What a figure needs from the run; figures in their own class get this (see the hook in main). */
    record Rig(
            Vmtrust vmtrust,
            Fleet v,
            Fleet m,
            Path work,
            Path out,
            TestKeys keys,
            int runs,
            Results res,
            Vmtrust baseline,
            Fleet b) {}

    public static void main(String[] args) throws Exception {
        boolean quick = "1".equals(System.getenv("BENCH_QUICK"));
        int runs = intEnv("BENCH_RUNS", quick ? 1 : 5);
        int idleSeconds = intEnv("BENCH_IDLE_SECONDS", quick ? 20 : 300);
        int startupRuns = intEnv("BENCH_STARTUP_RUNS", quick ? 3 : 20);
        String sizesEnv = System.getenv("BENCH_SIZES");
        List<Integer> sizes =
                List.of((sizesEnv == null || sizesEnv.isBlank() ? quick ? "1,4" : "1,4,8" : sizesEnv).split(","))
                        .stream()
                        .map(String::strip)
                        .map(Integer::parseInt)
                        .sorted()
                        .distinct()
                        .toList();
        int max = sizes.get(sizes.size() - 1);
        Path project = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
        Path out = Files.createDirectories(project.resolve("target/bench"));
        Path work = Files.createTempDirectory(Path.of("/tmp"), "vmtb-");
        Results res = new Results(runs, idleSeconds, sizes);
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        log("work folder " + work + (quick ? " (quick mode)" : ""));

        TestKeys keys = TestKeys.generate(work.resolve("keys"));
        TestCa caA = TestCa.create(work.resolve("ca-a"));
        TestCa caB = TestCa.create(work.resolve("ca-b"));
        Vmtrust vmtrust = Vmtrust.ofProject(project, work.resolve("vmtrust"));
        Path certsV = Files.createDirectories(work.resolve("certs-v"));
        Path caFileV = Files.copy(caA.caPem(), certsV.resolve("corp.pem"));
        Path certsM = Files.createDirectories(work.resolve("certs-m"));
        Path caFileM = Files.copy(caA.caPem(), certsM.resolve("corp.pem"));
        String baseJar = System.getenv("BENCH_BASELINE_JAR");
        Vmtrust baseline = baseJar == null || baseJar.isBlank()
                ? null
                : Vmtrust.installed(
                        project,
                        Path.of(baseJar).toAbsolutePath(),
                        work.resolve("baseline"),
                        work.resolve("vmtrust-b"));
        res.baselineJar = baseline == null ? null : baseJar;
        Path caFileB = Files.copy(
                caA.caPem(), Files.createDirectories(work.resolve("certs-b")).resolve("corp.pem"));

        log("start-up (" + startupRuns + " runs per variant)");
        res.startup = Startup.measure(
                vmtrust,
                project.resolve("target/vmtrust.jar"),
                vmtrust.config("startup", caA.caPem(), work.resolve("no-colima"), null),
                out.resolve("vmtrust.jsa"),
                startupRuns);

        Path storage = Files.createDirectories(work.resolve("storage"));
        log("booting " + max + " + " + max + " VMs with dockerd and two TLS registries each");
        long b0 = System.nanoTime();
        try (Fleet v = Fleet.boot("v", max, work.resolve("vms"), keys, caA, caB, storage);
                Fleet m = Fleet.boot("m", max, work.resolve("vms"), keys, caA, caB, storage);
                Fleet b =
                        baseline == null ? null : Fleet.boot("b", max, work.resolve("vms"), keys, caA, caB, storage)) {
            res.bootSeconds = (System.nanoTime() - b0) / 1e9;
            v.seed(storage, work.resolve("seed"));
            Map<Integer, Path> configs = new LinkedHashMap<>();
            for (int n : sizes) {
                configs.put(
                        n,
                        vmtrust.config(
                                "v" + n,
                                caFileV,
                                v.home(work.resolve("colima-v" + n), keys, n).home(),
                                null));
            }
            Path colimaAll = work.resolve("colima-v-all");
            Path configAll = vmtrust.config(
                    "v-all", caFileV, v.home(colimaAll, keys, max).home(), null);
            ColimaHome homeM = m.home(work.resolve("colima-m"), keys, max);
            Rig rig = new Rig(vmtrust, v, m, work, out, keys, runs, res, baseline, b);
            Path configAllB = b == null
                    ? null
                    : baseline.config(
                            "b-all",
                            caFileB,
                            b.home(work.resolve("colima-b-all"), keys, max).home(),
                            null);
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
                if (b != null) {
                    baseline.sync(configAllB);
                    b.awaitPulls(b.members, 'A');
                    b.removeImages(b.members, 'A');
                    b.members.forEach(x -> x.trusts = 'A');
                }

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
                                log("sync N=" + n + " run " + (r + 1) + ": vmtrust sync " + ms(x));
                            } else {
                                Rotation.Run x = rot.manually(m, n, caFileM, homeM);
                                p.manual.add(x.totalMs());
                                p.manualApply.add(x.applyMs());
                                p.manualCpu.add(x.applyCpuSeconds());
                                log("sync N=" + n + " run " + (r + 1) + ": recipe in series " + ms(x));
                            }
                        }
                    }
                }

                log("no-change sync, N=" + max);
                Path colimaMax = work.resolve("colima-v" + max);
                v.converge(caFileV, () -> vmtrust.sync(configAll));
                vmtrust.sync(configs.get(max));
                for (int r = 0; r < runs; r++) {
                    NoChange.Run x = NoChange.measure(vmtrust, v, configs.get(max), colimaMax);
                    res.noChange.add(x.ms());
                    res.noChangeWrites += x.writes();
                    res.noChangeRestarts += x.restarts();
                    res.noChangeLogins.add(x.sshLogins());
                    log("no-change sync run " + (r + 1) + ": " + Math.round(x.ms()) + " ms, " + x.writes() + " writes, "
                            + x.restarts() + " restarts, " + x.sshLogins() + " ssh logins");
                }

                for (int n : sizes) {
                    agentAgainstTheFloor(
                            rig, n, n == max, caFileV, caFileM, homeM, configAll, caFileB, configAllB, idleSeconds);
                }

                // Figures in their own class, one line each (they get the booted fleets through the rig):
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

    /**
     * The agent ({@code vmtrust run}) over the first N VMs of group v against the recipe fired at the first N of
     * group m at once (and, in an A/B run, the baseline build's agent over group b), rotating which goes first; at
     * the largest N also the agents' no-change rounds and this build's agent idle.
     */
    private static void agentAgainstTheFloor(
            Rig rig,
            int n,
            boolean largest,
            Path caFileV,
            Path caFileM,
            ColimaHome homeM,
            Path configAll,
            Path caFileB,
            Path configAllB,
            int idleSeconds)
            throws Exception {
        Results res = rig.res();
        Fleet v = rig.v();
        Fleet b = rig.b();
        v.converge(caFileV, () -> rig.vmtrust().sync(configAll));
        if (b != null) b.converge(caFileB, () -> rig.baseline().sync(configAllB));
        Rotation rot = new Rotation(rig.vmtrust());
        Results.Floor p = res.floor(n);
        log("agent N=" + n + ": starting");
        try (AgentBench agent = agent(rig, rig.vmtrust(), "v", n, caFileV);
                AgentBench base = b == null ? null : agent(rig, rig.baseline(), "b", n, caFileB)) {
            int methods = base == null ? 2 : 3;
            for (int r = 0; r < rig.runs(); r++) {
                for (int k = 0; k < methods; k++) {
                    int which = (k + r) % methods; // rotate the order: no method always runs first
                    if (which == 0) {
                        AgentBench.Rotation x = agent.rotate(v, n, caFileV);
                        p.agent(x.reaction(), x.rounds());
                        res.detected.add(x.detectedMs());
                        res.started.add(x.startedMs());
                        res.agentRotations++;
                        log("agent N=" + n + " run " + (r + 1) + ": " + reaction(x.reaction()) + ", " + x.rounds()
                                + " rounds, reconcile started after " + Math.round(x.startedMs()) + " ms");
                    } else if (which == 1) {
                        Rotation.Reaction x = rot.atOnce(rig.m(), n, caFileM, homeM);
                        p.recipe(x);
                        log("recipe at once N=" + n + " run " + (r + 1) + ": " + reaction(x));
                    } else {
                        AgentBench.Rotation x = base.rotate(b, n, caFileB);
                        p.baseline(x.reaction(), x.rounds());
                        log("baseline agent N=" + n + " run " + (r + 1) + ": " + reaction(x.reaction()) + ", "
                                + x.rounds() + " rounds");
                    }
                }
            }
            agent.noChangeRounds(caFileV).forEach(res.agentSecondRounds::add);
            if (largest) {
                for (int r = 0; r < rig.runs(); r++) {
                    NoChange.Run x =
                            agent.noChangeRound(v, n, caFileV, rig.work().resolve("colima-v" + n));
                    res.agentNoChange.add(x.ms());
                    res.agentNoChangeWrites += x.writes();
                    res.agentNoChangeRestarts += x.restarts();
                    res.agentNoChangeLogins.add(x.sshLogins());
                    log("agent no-change round N=" + n + " run " + (r + 1) + ": " + Math.round(x.ms()) + " ms, "
                            + x.writes() + " writes, " + x.restarts() + " restarts, " + x.sshLogins() + " ssh logins");
                    if (base != null) {
                        NoChange.Run y =
                                base.noChangeRound(b, n, caFileB, rig.work().resolve("colima-b" + n));
                        res.baseNoChange.add(y.ms());
                        res.baseNoChangeLogins.add(y.sshLogins());
                        log("baseline no-change round N=" + n + " run " + (r + 1) + ": " + Math.round(y.ms()) + " ms, "
                                + y.sshLogins() + " ssh logins");
                    }
                }
                if (base != null) base.close(); // idle alone
                log("agent idle for " + idleSeconds + " s, N=" + n);
                res.idle = agent.idle(idleSeconds);
                log("idle: " + res.idle);
            }
            res.rotatedEvents += agent.rotatedEvents();
        }
    }

    /** Starts VMTRUST's agent over the first N VMs of GROUP (v or b) in a Colima home of its own, with a hook. */
    private static AgentBench agent(Rig rig, Vmtrust vmtrust, String group, int n, Path caFile) throws Exception {
        Fleet f = group.equals("v") ? rig.v() : rig.b();
        Path colima = rig.work().resolve("colima-" + group + n);
        if (!Files.exists(colima)) f.home(colima, rig.keys(), n);
        Path events = rig.work().resolve("events-" + group + n + ".jsonl");
        Path hook = Files.writeString(
                rig.work().resolve("hook-" + group + n + ".sh"),
                "#!/bin/sh\ncat >> '" + events + "'\necho >> '" + events + "'\n");
        hook.toFile().setExecutable(true);
        Path config = vmtrust.config("agent-" + group + n, caFile, colima, hook);
        return AgentBench.start(vmtrust, config, rig.out().resolve("agent-" + group + n + ".log"), events);
    }

    static String reaction(Rotation.Reaction x) {
        return "ready after " + Math.round(x.readyMs()) + " ms, done after " + Math.round(x.doneMs()) + " ms, "
                + Results.f2(x.cpuSeconds()) + " CPU s (host side " + Results.f2(x.hostCpuSeconds()) + "; machine "
                + Results.f2(x.machineCpuSeconds()) + ")";
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
