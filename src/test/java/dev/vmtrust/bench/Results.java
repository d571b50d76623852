package dev.vmtrust.bench;

import dev.vmtrust.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything the benchmark measured, the goals of the issue, and their Markdown and JSON forms. */
final class Results {
    /** Figure 1 at one N: totals (replaced -> every VM pulls) and until the tool returned, per method. */
    static final class Pair {
        final Stats vmtrust = new Stats();
        final Stats manual = new Stats();
        final Stats vmtrustApply = new Stats();
        final Stats manualApply = new Stats();
        final Stats vmtrustCpu = new Stats();
        final Stats manualCpu = new Stats();

        double ratio() { return vmtrust.median() / manual.median(); }
    }

    final int runs;
    final int idleSeconds;
    final List<Integer> sizes;
    final Map<Integer, Pair> rotation = new LinkedHashMap<>();
    final Stats noChange = new Stats();
    final Stats noChangeLogins = new Stats();
    int noChangeWrites;
    int noChangeRestarts;
    final Stats detected = new Stats();
    final Stats started = new Stats();
    final Stats endToEnd = new Stats();
    final Stats agentNoChangeRounds = new Stats();
    long rotatedEvents;
    AgentBench.Idle idle;
    Map<String, Stats> startup = new LinkedHashMap<>();
    double bootSeconds;
    boolean hostTrustStoreUnchanged;

    Results(int runs, int idleSeconds, List<Integer> sizes) {
        this.runs = runs;
        this.idleSeconds = idleSeconds;
        this.sizes = sizes;
    }

    Pair rotation(int n) { return rotation.computeIfAbsent(n, k -> new Pair()); }

    private record Goal(String figure, String measured, String goal, boolean met) {}

    private List<Goal> goals() {
        List<Goal> g = new ArrayList<>();
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int min = sizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        Pair big = rotation.get(max);
        Pair small = rotation.get(min);
        g.add(new Goal("1. rotation N=" + max + ", (a)/(b)", f2(big.ratio()), "≤ 0.40", big.ratio() <= 0.4));
        double scale = big.vmtrust.median() / small.vmtrust.median();
        g.add(new Goal("1. rotation (a) N=" + max + " / (a) N=" + min, f2(scale), "≤ 2.5", scale <= 2.5));
        double share = noChange.median() / big.vmtrust.median();
        g.add(new Goal("2. no-change sync N=" + max + " / rotation (a) N=" + max,
                noChange.millis() + " = " + pct(share) + ", " + noChangeWrites + " writes, " + noChangeRestarts
                        + " restarts", "≤ 10 %, 0 writes, 0 restarts",
                share <= 0.10 && noChangeWrites == 0 && noChangeRestarts == 0));
        g.add(new Goal("3. detection: file replaced → reconcile started", started.millis(), "median ≤ 1 s",
                started.median() <= 1000));
        double limit = big.vmtrust.median() + 1000;
        g.add(new Goal("4. agent end to end N=" + max + ": replaced → every VM pulls", endToEnd.seconds(),
                "≤ 1(a) N=" + max + " + 1 s = " + f2(limit / 1000) + " s", endToEnd.median() <= limit));
        g.add(new Goal("5. agent idle RSS, " + idle.seconds() + " s, " + max + " VMs",
                f1(idle.rssEndMb()) + " MB (max " + f1(idle.rssMaxMb()) + ")", "≤ 96 MB", idle.rssMaxMb() <= 96));
        g.add(new Goal("5. agent idle CPU, " + idle.seconds() + " s", f2(idle.cpuSeconds()) + " s", "≤ 0.5 s",
                idle.cpuSeconds() <= 0.5));
        return g;
    }

    void write(Path dir, Map<String, Object> machine) throws IOException {
        Files.writeString(dir.resolve("results.md"), markdown(machine));
        Files.writeString(dir.resolve("results.json"), Json.write(json(machine)) + "\n");
    }

    String markdown(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ").append(m.get("date")).append(" on ").append(m.get("cpu")).append(", ")
                .append(m.get("cores")).append(" cores, ").append(m.get("memoryGb")).append(" GB, ")
                .append(m.get("kernel")).append(", ").append(m.get("java")).append(", ").append(m.get("dockerd"))
                .append(", ").append(m.get("openssh")).append(". Sandbox VMs: real sshd + dockerd in Linux namespaces. ")
                .append("Each figure: median (min–max) of ").append(runs).append(" runs; idle window ")
                .append(idleSeconds).append(" s").append(idleSeconds == 300 ? "" : " (default 300 s)").append(".\n\n");
        sb.append("**Rotation** (CA file replaced → every VM's dockerd pulls from a TLS registry signed by the new CA)\n\n");
        sb.append("| VMs | (a) `vmtrust sync` | (b) manual recipe, in series | (a)/(b) | (a) until sync returned | (b) until loop returned | machine CPU (a) / (b) |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        rotation.forEach((n, p) -> sb.append("| ").append(n).append(" | ").append(p.vmtrust.seconds()).append(" | ")
                .append(p.manual.seconds()).append(" | ").append(f2(p.ratio())).append(" | ")
                .append(p.vmtrustApply.seconds()).append(" | ").append(p.manualApply.seconds()).append(" | ")
                .append(f1(p.vmtrustCpu.median())).append(" s / ").append(f1(p.manualCpu.median())).append(" s |\n"));
        sb.append("\n**Goals**\n\n| Figure | Measured | Goal | Met |\n|---|---|---|---|\n");
        for (Goal g : goals()) {
            sb.append("| ").append(g.figure()).append(" | ").append(g.measured()).append(" | ").append(g.goal())
                    .append(" | ").append(g.met() ? "yes" : "**no**").append(" |\n");
        }
        sb.append("\n**Start-up** (wall time through `scripts/vmtrust`; ratio to `java -version`)\n\n");
        sb.append("| Command | Time | × `java -version` |\n|---|---:|---:|\n");
        double base = startup.get("java -version").median();
        startup.forEach((name, s) -> sb.append("| `").append(name).append("` | ").append(s.millis()).append(" | ")
                .append(f2(s.median() / base)).append(" |\n"));
        sb.append("\nAlso: the agent's own no-change rounds (warm JVM, after its colima.yaml edits) took ")
                .append(agentNoChangeRounds.millis()).append("; no-change sync made ").append(f1(noChangeLogins.median())).append(" SSH logins (one per VM); ")
                .append("detection (file replaced → `change detected` logged) ").append(detected.millis())
                .append("; the agent sent ").append(rotatedEvents).append(" `rotated` events for ").append(runs)
                .append(" rotations; ").append(idle.logLines()).append(" log lines while idle; booting ")
                .append(2 * sizes.stream().mapToInt(Integer::intValue).max().orElseThrow())
                .append(" VMs with dockerd and 2 registries each took ").append(f1(bootSeconds)).append(" s; ")
                .append("host trust store unchanged: ").append(hostTrustStoreUnchanged ? "yes" : "**NO**").append(".\n");
        return sb.toString();
    }

    Map<String, Object> json(Map<String, Object> machine) {
        Map<String, Object> rot = new LinkedHashMap<>();
        rotation.forEach((n, p) -> rot.put(Integer.toString(n), Json.obj("vmtrustSyncMs", p.vmtrust.json(),
                "manualMs", p.manual.json(), "ratio", Stats.round(p.ratio()),
                "vmtrustSyncReturnedMs", p.vmtrustApply.json(), "manualLoopReturnedMs", p.manualApply.json(),
                "vmtrustMachineCpuSeconds", p.vmtrustCpu.json(), "manualMachineCpuSeconds", p.manualCpu.json())));
        Map<String, Object> su = new LinkedHashMap<>();
        startup.forEach((k, s) -> su.put(k, s.json()));
        List<Object> goals = goals().stream().map(g -> (Object) Json.obj("figure", g.figure(), "measured", g.measured(),
                "goal", g.goal(), "met", g.met())).toList();
        return Json.obj("machine", machine, "runs", runs, "idleSeconds", idleSeconds, "rotation", rot,
                "noChangeSync", Json.obj("ms", noChange.json(), "writes", noChangeWrites, "restarts", noChangeRestarts,
                        "sshLogins", noChangeLogins.json()),
                "agent", Json.obj("changeDetectedMs", detected.json(), "reconcileStartedMs", started.json(),
                        "endToEndMs", endToEnd.json(), "noChangeRoundMs", agentNoChangeRounds.json(),
                        "rotatedEvents", rotatedEvents,
                        "idle", Json.obj("seconds", idle.seconds(), "cpuSeconds", Stats.round(idle.cpuSeconds()),
                                "rssEndMb", Stats.round(idle.rssEndMb()), "rssMaxMb", Stats.round(idle.rssMaxMb()),
                                "logLines", idle.logLines())),
                "startup", su, "goals", goals, "bootSeconds", Stats.round(bootSeconds),
                "hostTrustStoreUnchanged", hostTrustStoreUnchanged);
    }

    private static String f1(double v) { return String.format(Locale.ROOT, "%.1f", v); }
    private static String f2(double v) { return String.format(Locale.ROOT, "%.2f", v); }
    private static String pct(double v) { return String.format(Locale.ROOT, "%.0f %%", v * 100); }
}
