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

/** Everything the benchmark measured, the goals of issue 16, and their Markdown and JSON forms. */
final class Results {
    /** `vmtrust sync` against the recipe VM by VM at one N: totals (replaced -> every VM pulls) and until the tool returned. */
    static final class Pair {
        final Stats vmtrust = new Stats();
        final Stats manual = new Stats();
        final Stats vmtrustApply = new Stats();
        final Stats manualApply = new Stats();
        final Stats vmtrustCpu = new Stats();
        final Stats manualCpu = new Stats();

        double ratio() {
            return vmtrust.median() / manual.median();
        }
    }

    /** The running agent against the recipe fired at all N VMs at once, at one N ({@link Rotation.Reaction}s). */
    static final class Floor {
        final Stats agentReady = new Stats();
        final Stats agentDone = new Stats();
        final Stats agentCpu = new Stats();
        final Stats agentMachine = new Stats();
        final Stats agentHost = new Stats();
        final Stats agentRounds = new Stats();
        final Stats baseReady = new Stats();
        final Stats baseDone = new Stats();
        final Stats baseCpu = new Stats();
        final Stats baseRounds = new Stats();
        final Stats recipeReady = new Stats();
        final Stats recipeDone = new Stats();
        final Stats recipeCpu = new Stats();
        final Stats recipeMachine = new Stats();
        final Stats recipeHost = new Stats();

        void agent(Rotation.Reaction r, int rounds) {
            agentReady.add(r.readyMs());
            agentDone.add(r.doneMs());
            agentCpu.add(r.cpuSeconds());
            agentMachine.add(r.machineCpuSeconds());
            agentHost.add(r.hostCpuSeconds());
            agentRounds.add(rounds);
        }

        void baseline(Rotation.Reaction r, int rounds) {
            baseReady.add(r.readyMs());
            baseDone.add(r.doneMs());
            baseCpu.add(r.cpuSeconds());
            baseRounds.add(rounds);
        }

        void recipe(Rotation.Reaction r) {
            recipeReady.add(r.readyMs());
            recipeDone.add(r.doneMs());
            recipeCpu.add(r.cpuSeconds());
            recipeMachine.add(r.machineCpuSeconds());
            recipeHost.add(r.hostCpuSeconds());
        }

        double timeRatio() {
            return agentReady.median() / recipeReady.median();
        }

        double cpuRatio() {
            return agentCpu.median() / recipeCpu.median();
        }
    }

    /** A figure and its goal: from this file or added by another figure's class ({@link #addGoal}). */
    record Goal(String figure, String measured, String goal, boolean met) {}

    final int runs;
    final int idleSeconds;
    final List<Integer> sizes;
    final Map<Integer, Pair> rotation = new LinkedHashMap<>();
    final Map<Integer, Floor> floor = new LinkedHashMap<>();
    final Stats noChange = new Stats();
    final Stats noChangeLogins = new Stats();
    int noChangeWrites;
    int noChangeRestarts;
    final Stats agentNoChange = new Stats();
    final Stats baseNoChange = new Stats();
    final Stats baseNoChangeLogins = new Stats();
    /** BENCH_BASELINE_JAR, when the run compares this build's agent with another build's (A/B). */
    String baselineJar;

    final Stats agentNoChangeLogins = new Stats();
    int agentNoChangeWrites;
    int agentNoChangeRestarts;
    final Stats detected = new Stats();
    final Stats started = new Stats();
    final Stats agentSecondRounds = new Stats();
    long rotatedEvents;
    int agentRotations;
    AgentBench.Idle idle;
    Map<String, Stats> startup = new LinkedHashMap<>();
    double bootSeconds;
    boolean hostTrustStoreUnchanged;
    private final List<Goal> extraGoals = new ArrayList<>();
    private final List<String> extraSections = new ArrayList<>();
    private final Map<String, Object> extraJson = new LinkedHashMap<>();

    Results(int runs, int idleSeconds, List<Integer> sizes) {
        this.runs = runs;
        this.idleSeconds = idleSeconds;
        this.sizes = sizes;
    }

    Pair rotation(int n) {
        return rotation.computeIfAbsent(n, k -> new Pair());
    }

    Floor floor(int n) {
        return floor.computeIfAbsent(n, k -> new Floor());
    }

    /** For figures measured by their own class: one goal row, shown after the goals. */
    void addGoal(String figure, String measured, String goal, boolean met) {
        extraGoals.add(new Goal(figure, measured, goal, met));
    }

    /** For figures measured by their own class: a Markdown section (title and body) after the tables. */
    void addSection(String markdown) {
        extraSections.add(markdown);
    }

    /** For figures measured by their own class: a key of results.json. */
    void addJson(String key, Object value) {
        extraJson.put(key, value);
    }

    int max() {
        return sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** " (the goal is set at N=8)" when the largest N of this run is not 8. */
    private String at8(int n) {
        return n == 8 ? "" : " (the goal is set at N=8)";
    }

    List<Goal> goals() {
        List<Goal> g = new ArrayList<>();
        int max = max();
        Floor big = floor.get(max);
        if (big != null) {
            g.add(new Goal(
                    "agent rotation N=" + max + ": time vs the recipe fired at all " + max + " at once" + at8(max),
                    big.agentReady.seconds() + " vs " + big.recipeReady.seconds() + " = " + f2(big.timeRatio()) + "×",
                    "≤ 1.15×",
                    big.timeRatio() <= 1.15));
            g.add(new Goal(
                    "the same: CPU of the method and the VMs vs the recipe's" + at8(max),
                    f1(big.agentCpu.median()) + " s vs " + f1(big.recipeCpu.median()) + " s = " + f2(big.cpuRatio())
                            + "×",
                    "≤ 1.2×",
                    big.cpuRatio() <= 1.2));
        }
        Floor one = floor.get(1);
        if (one != null) {
            g.add(new Goal(
                    "agent rotation N=1 vs the recipe (one VM)",
                    one.agentReady.seconds() + " vs " + one.recipeReady.seconds() + " = " + f2(one.timeRatio()) + "×",
                    "≤ 1.0×",
                    one.timeRatio() <= 1.0));
        }
        if (big != null && agentNoChange.n() > 0) {
            double share = agentNoChange.median() / big.agentReady.median();
            g.add(new Goal(
                    "agent no-change round N=" + max + " / agent rotation N=" + max + at8(max),
                    agentNoChange.millis() + " = " + pct(share) + ", " + agentNoChangeWrites + " writes, "
                            + agentNoChangeRestarts + " restarts, " + f1(agentNoChangeLogins.median()) + " SSH logins",
                    "≤ 5 %, 0 writes, 0 restarts",
                    share <= 0.05 && agentNoChangeWrites == 0 && agentNoChangeRestarts == 0));
        }
        if (idle != null) {
            double cpuGoal = 0.3 * idle.seconds() / 300.0;
            String scaled = idle.seconds() == 300 ? "" : " (0.3 s per 300 s)";
            g.add(new Goal(
                    "agent idle " + idle.seconds() + " s, " + max + " VMs: RSS" + at8(max),
                    f1(idle.rssEndMb()) + " MB (max " + f1(idle.rssMaxMb()) + ")",
                    "≤ 80 MB",
                    idle.rssMaxMb() <= 80));
            g.add(new Goal(
                    "agent idle " + idle.seconds() + " s, " + max + " VMs: CPU" + at8(max),
                    f2(idle.cpuSeconds()) + " s",
                    "≤ " + f2(cpuGoal) + " s" + scaled,
                    idle.cpuSeconds() <= cpuGoal));
        }
        Pair series = rotation.get(max);
        if (series != null) {
            g.add(new Goal(
                    "`vmtrust sync` (fresh JVM) rotation N=" + max + " vs the recipe in series" + at8(max),
                    series.vmtrust.seconds() + " vs " + series.manual.seconds() + " = " + f2(series.ratio()),
                    "≤ 0.35",
                    series.ratio() <= 0.35));
        }
        if (started.n() > 0) {
            g.add(new Goal(
                    "agent detection: file replaced → reconcile started",
                    started.millis(),
                    "≤ 1 s",
                    started.median() <= 1000));
        }
        g.addAll(extraGoals);
        return g;
    }

    void write(Path dir, Map<String, Object> machine) throws IOException {
        Files.writeString(dir.resolve("results.md"), markdown(machine));
        Files.writeString(dir.resolve("results.json"), Json.write(json(machine)) + "\n");
    }

    String markdown(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ")
                .append(m.get("date"))
                .append(" on ")
                .append(m.get("cpu"))
                .append(", ")
                .append(m.get("cores"))
                .append(" cores, ")
                .append(m.get("memoryGb"))
                .append(" GB, ")
                .append(m.get("kernel"))
                .append(", ")
                .append(m.get("java"))
                .append(", ")
                .append(m.get("dockerd"))
                .append(", ")
                .append(m.get("openssh"))
                .append(". Sandbox VMs: real sshd + dockerd in Linux namespaces. ")
                .append("Each figure: median (min–max) of ")
                .append(runs)
                .append(" runs; idle window ")
                .append(idleSeconds)
                .append(" s")
                .append(idleSeconds == 300 ? "" : " (default 300 s)")
                .append(".\n\n");
        sb.append(
                "**Goals** (issue 16: the agent at the floor)\n\n| Figure | Measured | Goal | Met |\n|---|---|---|---|\n");
        for (Goal g : goals()) {
            sb.append("| ")
                    .append(g.figure())
                    .append(" | ")
                    .append(g.measured())
                    .append(" | ")
                    .append(g.goal())
                    .append(" | ")
                    .append(g.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        if (!floor.isEmpty()) {
            sb.append(
                    "\n**The agent against the floor** (CA file replaced → every VM's dockerd back with the new roots;"
                            + " each VM then pulls from a TLS registry signed by the new CA, with that same dockerd, untimed). Done ="
                            + " the recipe's last ssh returned / the agent's last round of the change logged `reconcile done`."
                            + " CPU = the method's processes and the VMs' process trees from the rename until 2 s after done (host side: the agent JVM;"
                            + " the recipe's ssh clients and ControlMasters); machine = /proc/stat (shared machine, reference"
                            + " only).\n\n");
            sb.append("| VMs | agent | recipe at all at once | agent / recipe | agent done | recipe done"
                    + " | CPU agent / recipe | of which host side | machine CPU agent / recipe | agent rounds |\n");
            sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            floor.forEach((n, p) -> sb.append("| ")
                    .append(n)
                    .append(" | ")
                    .append(p.agentReady.seconds())
                    .append(" | ")
                    .append(p.recipeReady.seconds())
                    .append(" | ")
                    .append(f2(p.timeRatio()))
                    .append(" | ")
                    .append(p.agentDone.seconds())
                    .append(" | ")
                    .append(p.recipeDone.seconds())
                    .append(" | ")
                    .append(f1(p.agentCpu.median()))
                    .append(" s / ")
                    .append(f1(p.recipeCpu.median()))
                    .append(" s = ")
                    .append(f2(p.cpuRatio()))
                    .append(" | ")
                    .append(f1(p.agentHost.median()))
                    .append(" s / ")
                    .append(f1(p.recipeHost.median()))
                    .append(" s | ")
                    .append(f1(p.agentMachine.median()))
                    .append(" s / ")
                    .append(f1(p.recipeMachine.median()))
                    .append(" s | ")
                    .append(f1(p.agentRounds.median()))
                    .append(" |\n"));
        }
        if (baselineJar != null) {
            sb.append("\n**A/B: this build's agent against the baseline build's** (")
                    .append(baselineJar)
                    .append("), on a third group of VMs, each rotation interleaved with the ones above\n\n");
            sb.append(
                    "| VMs | agent | baseline agent | agent / baseline | agent done | baseline done | CPU agent / baseline"
                            + " | rounds agent / baseline |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            floor.forEach((n, p) -> sb.append("| ")
                    .append(n)
                    .append(" | ")
                    .append(p.agentReady.seconds())
                    .append(" | ")
                    .append(p.baseReady.seconds())
                    .append(" | ")
                    .append(f2(p.agentReady.median() / p.baseReady.median()))
                    .append(" | ")
                    .append(p.agentDone.seconds())
                    .append(" | ")
                    .append(p.baseDone.seconds())
                    .append(" | ")
                    .append(f1(p.agentCpu.median()))
                    .append(" s / ")
                    .append(f1(p.baseCpu.median()))
                    .append(" s | ")
                    .append(f1(p.agentRounds.median()))
                    .append(" / ")
                    .append(f1(p.baseRounds.median()))
                    .append(" |\n"));
            sb.append("\nNo-change round N=")
                    .append(max())
                    .append(": agent ")
                    .append(agentNoChange.millis())
                    .append(" (")
                    .append(f1(agentNoChangeLogins.median()))
                    .append(" SSH logins), baseline ")
                    .append(baseNoChange.millis())
                    .append(" (")
                    .append(f1(baseNoChangeLogins.median()))
                    .append(" SSH logins).\n");
        }
        if (!rotation.isEmpty()) {
            sb.append(
                    "\n**`vmtrust sync` against the recipe VM by VM** (CA file replaced → every VM's dockerd pulls from a"
                            + " TLS registry signed by the new CA; machine CPU from /proc/stat until the tool returned)\n\n");
            sb.append(
                    "| VMs | (a) `vmtrust sync` | (b) recipe, in series | (a)/(b) | (a) until sync returned | (b) until loop returned | machine CPU (a) / (b) |\n");
            sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            rotation.forEach((n, p) -> sb.append("| ")
                    .append(n)
                    .append(" | ")
                    .append(p.vmtrust.seconds())
                    .append(" | ")
                    .append(p.manual.seconds())
                    .append(" | ")
                    .append(f2(p.ratio()))
                    .append(" | ")
                    .append(p.vmtrustApply.seconds())
                    .append(" | ")
                    .append(p.manualApply.seconds())
                    .append(" | ")
                    .append(f1(p.vmtrustCpu.median()))
                    .append(" s / ")
                    .append(f1(p.manualCpu.median()))
                    .append(" s |\n"));
        }
        if (!startup.isEmpty()) {
            sb.append("\n**Start-up** (wall time through `scripts/vmtrust`; ratio to `java -version`)\n\n");
            sb.append("| Command | Time | × `java -version` |\n|---|---:|---:|\n");
            double base = startup.get("java -version").median();
            startup.forEach((name, s) -> sb.append("| `")
                    .append(name)
                    .append("` | ")
                    .append(s.millis())
                    .append(" | ")
                    .append(f2(s.median() / base))
                    .append(" |\n"));
        }
        extraSections.forEach(s -> sb.append('\n').append(s.strip()).append('\n'));
        sb.append("\nAlso: `vmtrust sync` with nothing to do (fresh JVM, N=")
                .append(max())
                .append(") took ")
                .append(noChange.millis())
                .append(" (")
                .append(noChangeWrites)
                .append(" writes, ")
                .append(noChangeRestarts)
                .append(" restarts, ")
                .append(f1(noChangeLogins.median()))
                .append(" SSH logins); the agent's rounds caused by its own colima.yaml edits: ")
                .append(agentSecondRounds.n() == 0 ? "none" : "took " + agentSecondRounds.millis())
                .append("; detection (file replaced → `change detected` logged) ")
                .append(detected.millis())
                .append("; the agent sent ")
                .append(rotatedEvents)
                .append(" `rotated` events for ")
                .append(agentRotations)
                .append(" rotations; ")
                .append(idle == null ? "?" : idle.logLines())
                .append(" log lines while idle; idle CPU by" + " thread: ")
                .append(idle == null ? "?" : idle.threads())
                .append("; booting ")
                .append(2 * max())
                .append(" VMs with dockerd and 2 registries each took ")
                .append(f1(bootSeconds))
                .append(" s; ")
                .append("host trust store unchanged: ")
                .append(hostTrustStoreUnchanged ? "yes" : "**NO**")
                .append(".\n");
        return sb.toString();
    }

    Map<String, Object> json(Map<String, Object> machine) {
        Map<String, Object> rot = new LinkedHashMap<>();
        rotation.forEach((n, p) -> rot.put(
                Integer.toString(n),
                Json.obj(
                        "vmtrustSyncMs",
                        p.vmtrust.json(),
                        "manualMs",
                        p.manual.json(),
                        "ratio",
                        Stats.round(p.ratio()),
                        "vmtrustSyncReturnedMs",
                        p.vmtrustApply.json(),
                        "manualLoopReturnedMs",
                        p.manualApply.json(),
                        "vmtrustMachineCpuSeconds",
                        p.vmtrustCpu.json(),
                        "manualMachineCpuSeconds",
                        p.manualCpu.json())));
        Map<String, Object> fl = new LinkedHashMap<>();
        floor.forEach((n, p) -> fl.put(
                Integer.toString(n),
                Json.obj(
                        "agentReadyMs",
                        p.agentReady.json(),
                        "agentDoneMs",
                        p.agentDone.json(),
                        "agentCpuSeconds",
                        p.agentCpu.json(),
                        "agentMachineCpuSeconds",
                        p.agentMachine.json(),
                        "agentHostCpuSeconds",
                        p.agentHost.json(),
                        "recipeHostCpuSeconds",
                        p.recipeHost.json(),
                        "agentRounds",
                        p.agentRounds.json(),
                        "recipeReadyMs",
                        p.recipeReady.json(),
                        "recipeDoneMs",
                        p.recipeDone.json(),
                        "recipeCpuSeconds",
                        p.recipeCpu.json(),
                        "recipeMachineCpuSeconds",
                        p.recipeMachine.json(),
                        "baselineReadyMs",
                        p.baseReady.json(),
                        "baselineDoneMs",
                        p.baseDone.json(),
                        "baselineCpuSeconds",
                        p.baseCpu.json(),
                        "baselineRounds",
                        p.baseRounds.json(),
                        "timeRatio",
                        Stats.round(p.timeRatio()),
                        "cpuRatio",
                        Stats.round(p.cpuRatio()))));
        Map<String, Object> su = new LinkedHashMap<>();
        startup.forEach((k, s) -> su.put(k, s.json()));
        List<Object> goals = goals().stream()
                .map(g -> (Object)
                        Json.obj("figure", g.figure(), "measured", g.measured(), "goal", g.goal(), "met", g.met()))
                .toList();
        Map<String, Object> out = Json.obj(
                "machine",
                machine,
                "runs",
                runs,
                "idleSeconds",
                idleSeconds,
                "agentVsRecipeAtOnce",
                fl,
                "syncVsRecipeInSeries",
                rot,
                "noChangeSync",
                Json.obj(
                        "ms",
                        noChange.json(),
                        "writes",
                        noChangeWrites,
                        "restarts",
                        noChangeRestarts,
                        "sshLogins",
                        noChangeLogins.json()),
                "agent",
                Json.obj(
                        "changeDetectedMs",
                        detected.json(),
                        "reconcileStartedMs",
                        started.json(),
                        "noChangeRoundMs",
                        agentNoChange.json(),
                        "noChangeRoundWrites",
                        agentNoChangeWrites,
                        "noChangeRoundRestarts",
                        agentNoChangeRestarts,
                        "noChangeRoundSshLogins",
                        agentNoChangeLogins.json(),
                        "ownEditRoundMs",
                        agentSecondRounds.json(),
                        "rotatedEvents",
                        rotatedEvents,
                        "rotations",
                        agentRotations,
                        "idle",
                        idle == null
                                ? null
                                : Json.obj(
                                        "seconds",
                                        idle.seconds(),
                                        "cpuSeconds",
                                        Stats.round(idle.cpuSeconds()),
                                        "rssEndMb",
                                        Stats.round(idle.rssEndMb()),
                                        "rssMaxMb",
                                        Stats.round(idle.rssMaxMb()),
                                        "logLines",
                                        idle.logLines(),
                                        "threads",
                                        idle.threads())),
                "baseline",
                baselineJar == null
                        ? null
                        : Json.obj(
                                "jar",
                                baselineJar,
                                "noChangeRoundMs",
                                baseNoChange.json(),
                                "noChangeRoundSshLogins",
                                baseNoChangeLogins.json()),
                "startup",
                su,
                "goals",
                goals,
                "bootSeconds",
                Stats.round(bootSeconds),
                "hostTrustStoreUnchanged",
                hostTrustStoreUnchanged);
        out.putAll(extraJson);
        return out;
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f %%", v * 100);
    }
}
