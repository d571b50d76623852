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
 * Figures 3-5 against the real agent ({@code vmtrust run} through the launcher, as the service runs it):
 * detection latency from its log timestamps, end to end rotation, and idle cost from /proc.
 */
final class AgentBench implements AutoCloseable {
    /** One agent rotation: file replaced -> "change detected", -> "reconcile started", -> every VM pulls. */
    record Rotation(double detectedMs, double startedMs, double endToEndMs) {}

    /** Idle window: CPU seconds used, RSS at the end and the largest RSS seen, log lines written. */
    record Idle(int seconds, double cpuSeconds, double rssEndMb, double rssMaxMb, int logLines) {}

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

    long pid() { return agent.pid(); }

    /** One rotation of F's CA file (all members must trust the same CA). */
    Rotation rotate(Fleet f, Path caFile) throws InterruptedException {
        char cur = f.members.get(0).trusts;
        char next = Fleet.other(cur);
        f.assertRejects(f.members, next);
        awaitQuiet(60);
        int offset = lines().size();
        Map<Fleet.Member, String> pids = new java.util.HashMap<>();
        f.members.forEach(m -> pids.put(m, NoChange.read(m.vm.dir().resolve("run/docker.pid"))));
        Path staged = dev.vmtrust.bench.Rotation.stage(caFile, f.ca(next).caPem());

        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        dev.vmtrust.bench.Rotation.move(staged, caFile);
        // poll the host side of each VM's /run (cheap) until its dockerd was restarted, then pull for real
        f.parallel(f.members, m -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            Path pidFile = m.vm.dir().resolve("run/docker.pid");
            while (NoChange.read(pidFile).equals(pids.get(m)) || NoChange.read(pidFile).isEmpty()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(m.profile + ": dockerd not restarted");
                Thread.sleep(20);
            }
            return null;
        });
        f.awaitPulls(f.members, next);
        long t2 = System.nanoTime();
        f.members.forEach(m -> m.trusts = next);
        f.removeImages(f.members, next);

        List<String> after = lines().subList(offset, lines().size());
        long detected = stamp(after, "change detected: " + caFile);
        long started = stamp(after, "reconcile started");
        return new Rotation(detected - wall0, started - wall0, (t2 - t0) / 1e6);
    }

    /** Samples /proc/PID for SECONDS with no change anywhere. */
    Idle idle(int seconds) throws InterruptedException {
        awaitQuiet(60);
        int lines0 = lines().size();
        double cpu0 = cpuSeconds();
        double rssMax = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            rssMax = Math.max(rssMax, rssMb());
            Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        double rss = rssMb();
        return new Idle(seconds, cpuSeconds() - cpu0, rss, Math.max(rss, rssMax), lines().size() - lines0);
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
            if (i >= 0 && reasons.contains("colima.yaml") && !reasons.contains(caFile.toString())
                    && !reasons.contains("startup") && !l.contains("restarted")) {
                String ms = l.substring(i + "reconcile done in ".length()).split(" ")[0];
                out.add(Double.parseDouble(ms));
            }
        }
        return out;
    }

    long rotatedEvents() {
        try {
            return Files.exists(events) ? Files.readAllLines(events).stream()
                    .filter(l -> l.contains("\"event\":\"rotated\"")).count() : 0;
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
            String last = ls.stream().filter(l -> l.contains(" reconcile ")).reduce((x, y) -> y).orElse("");
            boolean done = last.contains("reconcile done") || last.contains("reconcile failed")
                    || last.contains("reconcile round");
            if (done && System.nanoTime() - stillSince > 2_000_000_000L) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("the agent did not settle within " + limitSeconds + " s:\n" + String.join("\n", lines()));
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Epoch ms of the first line containing TEXT (lines start with an ISO-8601 timestamp). */
    private static long stamp(List<String> lines, String text) {
        for (String l : lines) {
            if (l.contains(text)) return OffsetDateTime.parse(l.substring(0, l.indexOf(' '))).toInstant().toEpochMilli();
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
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", ""))
                    .mapToLong(Long::parseLong).findFirst().orElseThrow() / 1024.0;
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
