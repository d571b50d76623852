package dev.vmtrust.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real agent ({@code vmtrust run} through the launcher, as the service runs it): rotations (with detection
 * latency from its log timestamps), rounds with nothing to do, and idle cost from /proc.
 */
final class AgentBench implements AutoCloseable {
    /** Idle window: CPU seconds used, RSS at the end and the largest RSS seen, log lines written. */
    /** Idle window: CPU seconds used, RSS at the end and the largest RSS seen, log lines written, busiest threads. */
    record Idle(int seconds, double cpuSeconds, double rssEndMb, double rssMaxMb, int logLines, String threads) {}

    private final Process agent;
    private final Path log;
    private final Path events;

    private AgentBench(Process agent, Path log, Path events) {
        this.agent = agent;
        this.log = log;
        this.events = events;
    }

    /** Starts the agent and waits for its first round to finish. */
    static AgentBench start(Vmtrust vmtrust, Path config, Path log, Path events) throws InterruptedException {
        AgentBench a = new AgentBench(vmtrust.startAgent(config, log), log, events);
        a.awaitQuiet(60);
        return a;
    }

    long pid() {
        return agent.pid();
    }

    /**
     * One rotation of the CA file of the first N members of F (the agent's Colima home holds exactly those; all
     * must trust the same CA), as a {@link dev.vmtrust.bench.Rotation.Reaction}: ready = the last dockerd back with
     * the new roots; done = the last "reconcile done" of the rounds the change caused (the agent's own
     * colima.yaml edits start one more); CPU = the agent JVM and the N VMs' trees from the rename until 2 s after
     * that line (the log is polled every 20 ms). Also the detection figures. Untimed after: every VM pulls from
     * the new CA's registry with the dockerd seen ready.
     */
    record Rotation(dev.vmtrust.bench.Rotation.Reaction reaction, double detectedMs, double startedMs, int rounds) {}

    Rotation rotate(Fleet f, int n, Path caFile) throws InterruptedException {
        List<Fleet.Member> ms = f.first(n);
        char cur = ms.get(0).trusts;
        char next = Fleet.other(cur);
        f.assertRejects(ms, next);
        awaitQuiet(60);
        int offset = lines().size();
        Map<Fleet.Member, String> before = f.dockerPids(ms);
        List<Long> vms = Fleet.initPids(ms);
        List<Long> host = List.of(agent.pid());
        Path staged = dev.vmtrust.bench.Rotation.stage(caFile, f.ca(next).caPem());
        java.util.concurrent.ExecutorService waiters = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            double vm0 = ProcCpu.treeSeconds(vms);
            double host0 = ProcCpu.treeSeconds(host);
            double machine0 = ProcCpu.machineSeconds();
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            dev.vmtrust.bench.Rotation.move(staged, caFile);
            List<java.util.concurrent.Future<Fleet.Restarted>> ready = new java.util.ArrayList<>();
            for (Fleet.Member m : ms) ready.add(waiters.submit(() -> Fleet.awaitRestarted(m, before.get(m))));
            int doneLines = 0;
            boolean settled = false;
            long size = -1, stillSince = System.nanoTime(), deadline = System.nanoTime() + 120_000_000_000L;
            while (true) {
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("the agent did not settle:\n" + String.join("\n", lines()));
                if (!agent.isAlive())
                    throw new IllegalStateException("the agent exited:\n" + String.join("\n", lines()));
                long sz = logSize();
                if (sz != size) { // the log is read only when it grew
                    size = sz;
                    stillSince = System.nanoTime();
                    List<String> now = lines();
                    List<String> fresh = now.subList(Math.min(offset, now.size()), now.size());
                    int d = (int) fresh.stream()
                            .filter(l -> l.contains("reconcile done in "))
                            .count();
                    doneLines = d;
                    settled = d > 0 && lastRoundDone(fresh);
                }
                boolean allReady = ready.stream().allMatch(java.util.concurrent.Future::isDone);
                if (allReady && settled && System.nanoTime() - stillSince > 2_000_000_000L) break;
                Thread.sleep(20);
            }
            // 2 s after the last round's last line, the same tail as the recipe's (dockerd's start-up goes on
            // after it first answers, and the VMs' part of it counts for both)
            double hostCpu = ProcCpu.treeSeconds(host) - host0;
            double cpu = ProcCpu.treeSeconds(vms) - vm0 + hostCpu;
            double machine = ProcCpu.machineSeconds() - machine0;
            List<Fleet.Restarted> seen = new java.util.ArrayList<>();
            for (var r : ready) seen.add(dev.vmtrust.bench.Rotation.get(r));
            long last = seen.stream().mapToLong(Fleet.Restarted::nanos).max().orElseThrow();
            List<String> after = lines().subList(offset, lines().size());
            long done = lastStamp(after, "reconcile done in ");
            long detected = stamp(after, "change detected: " + caFile);
            long started = stamp(after, "reconcile started");
            int rounds = (int)
                    after.stream().filter(l -> l.contains("reconcile started")).count();
            f.verifyPulls(ms, next, seen);
            ms.forEach(m -> m.trusts = next);
            return new Rotation(
                    new dev.vmtrust.bench.Rotation.Reaction((last - t0) / 1e6, done - wall0, cpu, machine, hostCpu),
                    detected - wall0,
                    started - wall0,
                    rounds);
        } finally {
            waiters.shutdownNow();
        }
    }

    /**
     * A round with nothing to do, over the first N members of F: the CA file is replaced by a copy of itself (as
     * an MDM tool that rewrites its file, or a resync, would cause). Returns the round's own "reconcile done in N
     * ms", and what it did, read from outside ({@link NoChange#snapshot}, sshd's logins); fails on any write or
     * restart.
     */
    NoChange.Run noChangeRound(Fleet f, int n, Path caFile, Path colimaHome) throws InterruptedException {
        awaitQuiet(60);
        int offset = lines().size();
        Map<String, String> before = NoChange.snapshot(f, colimaHome);
        int logins0 = NoChange.logins(f);
        Path staged = dev.vmtrust.bench.Rotation.stage(caFile, caFile);
        dev.vmtrust.bench.Rotation.move(staged, caFile);
        awaitQuiet(60);
        List<String> after = lines().subList(offset, lines().size());
        long rounds =
                after.stream().filter(l -> l.contains("reconcile started")).count();
        String done = after.stream()
                .filter(l -> l.contains("reconcile done in "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(
                        "no round after the CA file was rewritten:\n" + String.join("\n", after)));
        // "reconcile done in N ms: CA set X (k CAs); colima/v1 unchanged; ..." -- every target, nothing else
        String[] parts = done.substring(done.indexOf(": CA set ")).split("; ");
        boolean allUnchanged = parts.length == n + 1
                && java.util.Arrays.stream(parts)
                        .skip(1)
                        .allMatch(p -> p.strip().endsWith(" unchanged"));
        if (rounds != 1 || !allUnchanged) {
            throw new IllegalStateException("expected one round that changes nothing:\n" + String.join("\n", after));
        }
        double ms =
                Double.parseDouble(done.substring(done.indexOf("reconcile done in ") + "reconcile done in ".length())
                        .split(" ")[0]);
        Map<String, String> now = NoChange.snapshot(f, colimaHome);
        int writes = 0, restarts = 0;
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            if (java.util.Objects.equals(before.get(k), now.get(k))) continue;
            if (k.endsWith("/run/docker.pid")) restarts++;
            else writes++;
        }
        if (writes != 0 || restarts != 0) {
            throw new IllegalStateException("a no-change round wrote " + writes + " files and restarted " + restarts
                    + " engines:\nbefore " + before + "\nafter " + now + "\n" + String.join("\n", after));
        }
        return new NoChange.Run(ms, writes, restarts, NoChange.logins(f) - logins0);
    }

    private static boolean lastRoundDone(List<String> ls) {
        String last = ls.stream()
                .filter(l -> l.contains(" reconcile ") || l.contains("change detected"))
                .reduce((x, y) -> y)
                .orElse("");
        return last.contains("reconcile done") || last.contains("reconcile failed");
    }

    private long logSize() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples /proc/PID for SECONDS with no change anywhere. */
    Idle idle(int seconds) throws InterruptedException {
        awaitQuiet(60);
        int lines0 = lines().size();
        double cpu0 = cpuSeconds();
        Map<String, Long> threads0 = threadTicks();
        double rssMax = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            rssMax = Math.max(rssMax, rssMb());
            Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        double rss = rssMb();
        double cpu = cpuSeconds() - cpu0;
        Map<String, Long> used = new java.util.HashMap<>();
        threadTicks().forEach((k, v) -> {
            long d = v - threads0.getOrDefault(k, 0L);
            if (d > 0) used.merge(k.substring(k.indexOf(' ') + 1), d, Long::sum); // by thread name
        });
        String top = used.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .limit(5)
                .map(e -> e.getKey() + " " + Results.f2(e.getValue() / (double) clockTicks()) + " s")
                .reduce((x, y) -> x + ", " + y)
                .orElse("none above 10 ms");
        return new Idle(seconds, cpu, rss, Math.max(rss, rssMax), lines().size() - lines0, top);
    }

    /** utime + stime per thread of the agent, keyed "TID name" (name = /proc comm, 15 characters at most). */
    private Map<String, Long> threadTicks() {
        Map<String, Long> out = new java.util.HashMap<>();
        try (java.nio.file.DirectoryStream<Path> ts =
                Files.newDirectoryStream(Path.of("/proc/" + agent.pid() + "/task"))) {
            for (Path t : ts) {
                try {
                    String s = Files.readString(t.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    out.put(
                            t.getFileName() + " "
                                    + Files.readString(t.resolve("comm")).strip(),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Durations of the rounds that had nothing to do: those started only by the agent's own colima.yaml edits
     * (the round after each rotation), from "reconcile done in N ms".
     */
    List<Double> noChangeRounds(Path caFile) {
        List<Double> out = new java.util.ArrayList<>();
        String reasons = "";
        for (String l : lines()) {
            if (l.contains("reconcile started (reasons: ")) reasons = l;
            int i = l.indexOf("reconcile done in ");
            if (i >= 0
                    && reasons.contains("colima.yaml")
                    && !reasons.contains(caFile.toString())
                    && !reasons.contains("startup")
                    && !l.contains("restarted")) {
                String ms = l.substring(i + "reconcile done in ".length()).split(" ")[0];
                out.add(Double.parseDouble(ms));
            }
        }
        return out;
    }

    long rotatedEvents() {
        try {
            return Files.exists(events)
                    ? Files.readAllLines(events).stream()
                            .filter(l -> l.contains("\"event\":\"rotated\""))
                            .count()
                    : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the log has been still for 2 s and the last round finished. */
    void awaitQuiet(int limitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + limitSeconds * 1_000_000_000L;
        int seen = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) throw new IllegalStateException("the agent exited:\n" + String.join("\n", lines()));
            List<String> ls = lines();
            if (ls.size() != seen) {
                seen = ls.size();
                stillSince = System.nanoTime();
            }
            // the last round's last word: "reconcile done" (or failed) comes after its "reconcile started" lines
            String last = ls.stream()
                    .filter(l -> l.contains(" reconcile "))
                    .reduce((x, y) -> y)
                    .orElse("");
            boolean done = last.contains("reconcile done")
                    || last.contains("reconcile failed")
                    || last.contains("reconcile round");
            if (done && System.nanoTime() - stillSince > 2_000_000_000L) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the agent did not settle within " + limitSeconds + " s:\n" + String.join("\n", lines()));
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Epoch ms of the last line containing TEXT. */
    private static long lastStamp(List<String> lines, String text) {
        List<String> rev = new java.util.ArrayList<>(lines);
        java.util.Collections.reverse(rev);
        return stamp(rev, text);
    }

    /** Epoch ms of the first line containing TEXT (lines start with an ISO-8601 timestamp). */
    private static long stamp(List<String> lines, String text) {
        for (String l : lines) {
            if (l.contains(text))
                return OffsetDateTime.parse(l.substring(0, l.indexOf(' ')))
                        .toInstant()
                        .toEpochMilli();
        }
        throw new IllegalStateException("no log line with \"" + text + "\" in:\n" + String.join("\n", lines));
    }

    private String stat() {
        try {
            return Files.readString(Path.of("/proc/" + agent.pid() + "/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** utime + stime (fields 14 and 15 of /proc/PID/stat) in seconds. */
    double cpuSeconds() {
        String s = stat();
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) clockTicks();
    }

    /** VmRSS of /proc/PID/status in MB (MiB). */
    double rssMb() {
        try {
            return Files.readAllLines(Path.of("/proc/" + agent.pid() + "/status")).stream()
                            .filter(l -> l.startsWith("VmRSS:"))
                            .map(l -> l.replaceAll("\\D", ""))
                            .mapToLong(Long::parseLong)
                            .findFirst()
                            .orElseThrow()
                    / 1024.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long ticks;

    static synchronized long clockTicks() {
        if (ticks == 0) ticks = Long.parseLong(Sh.check("getconf", "CLK_TCK").strip());
        return ticks;
    }

    /** SIGTERM, then SIGKILL after 10 s; returns the exit code. */
    @Override
    public void close() {
        agent.destroy();
        try {
            if (!agent.waitFor(10, TimeUnit.SECONDS)) agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
