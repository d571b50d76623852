package dev.vmtrust.bench;

import dev.vmtrust.it.ColimaHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figure 1: one CA rotation across the first N VMs of a group, from "CA file replaced" (an atomic rename, as
 * MDM tools and editors do) to "every VM's dockerd pulls from the registry signed by the new CA".
 * (a) {@code vmtrust sync}; (b) the blog-post recipe, one {@code ssh} per VM, in series.
 * Untimed before each run: VMs outside the expected state are brought back to it, and every VM must still reject
 * the new CA (which also proves the CA before the previous one is gone). Untimed after: the pulled image is removed.
 */
final class Rotation {
    /** The recipe people paste, run through Lima's own ssh.config (ControlMaster, as `colima ssh` does). */
    static final String RECIPE = "sudo tee /usr/local/share/ca-certificates/corp.crt >/dev/null"
            + " && sudo update-ca-certificates && sudo systemctl restart docker";

    /**
     * One run: ms until the tool returned (apply) and until every VM pulled (total); machine-wide CPU seconds
     * (all processes: the tool, sshd, sudo, update-ca-certificates, dockerd...) from replaced to returned.
     */
    record Run(double applyMs, double totalMs, double applyCpuSeconds) {}

    /** Busy CPU time of the whole machine so far, in seconds (/proc/stat, everything but idle and iowait). */
    static double machineCpuSeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]);
            return busy / (double) AgentBench.clockTicks();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Vmtrust vmtrust;

    Rotation(Vmtrust vmtrust) {
        this.vmtrust = vmtrust;
    }

    /** (a): CONFIGS[n] names a config whose Colima home holds exactly the first n VMs; CONFIG_ALL all of them. */
    Run withVmtrust(Fleet f, int n, Path caFile, Path config, Path configAll) {
        List<Fleet.Member> ms = f.first(n);
        char cur = f.converge(caFile, () -> vmtrust.sync(configAll));
        char next = Fleet.other(cur);
        f.assertRejects(ms, next);
        Path staged = stage(caFile, f.ca(next).caPem());

        double cpu0 = machineCpuSeconds();
        long t0 = System.nanoTime();
        move(staged, caFile);
        Map<String, Object> report = vmtrust.sync(config);
        long t1 = System.nanoTime();
        double cpu = machineCpuSeconds() - cpu0;
        f.awaitPulls(ms, next);
        long t2 = System.nanoTime();

        List<Map<String, Object>> ts = Vmtrust.targets(report);
        if (ts.size() != n
                || !ts.stream()
                        .allMatch(t -> "updated".equals(t.get("result"))
                                && List.of("docker").equals(t.get("restarted")))) {
            throw new IllegalStateException("expected " + n + " targets updated with docker restarted: " + report);
        }
        ms.forEach(m -> m.trusts = next);
        f.removeImages(ms, next);
        return new Run((t1 - t0) / 1e6, (t2 - t0) / 1e6, cpu);
    }

    /**
     * One reaction to a replaced CA file, by the agent or by the recipe fired at every VM at once: ms until the
     * last VM's dockerd was back with the new roots (ready), ms until the method was done (the recipe's last ssh
     * returned; the agent's last round of the reaction logged "reconcile done"), CPU seconds of the method's
     * processes and of the VMs' process trees from the rename until 2 s after done ({@link ProcCpu}: dockerd's
     * start-up goes on for a while after it first answers, and both methods' windows hold it), of which
     * HOST_CPU_SECONDS on the host side (the agent JVM; the recipe's ssh clients and ControlMasters), and the machine's (/proc/stat,
     * shared with whatever else runs here: for reference only).
     */
    record Reaction(
            double readyMs, double doneMs, double cpuSeconds, double machineCpuSeconds, double hostCpuSeconds) {}

    /**
     * The honest floor: the blog recipe fired at the first N VMs of F at once (N ssh in parallel, as a person
     * with N terminal tabs would, or a {@code for ... &} loop), through Lima's ControlMaster connections that the
     * untimed set-up opened. CPU: the VMs' trees, the ControlMaster processes (they do the SSH crypto) and the
     * ssh clients (bash's {@code times} after each one: its children's CPU).
     */
    Reaction atOnce(Fleet f, int n, Path caFile, ColimaHome home) throws InterruptedException {
        List<Fleet.Member> ms = f.first(n);
        char cur = f.members.get(0).trusts;
        for (Fleet.Member m : ms) {
            if (m.trusts != cur) {
                recipe(home, m, f.ca(cur).caPem());
                m.trusts = cur;
            }
        }
        char next = Fleet.other(cur);
        f.assertRejects(ms, next);
        Path staged = stage(caFile, f.ca(next).caPem());
        Map<Fleet.Member, String> before = f.dockerPids(ms);
        List<Long> vms = Fleet.initPids(ms);
        List<Long> masters = masterPids(home, ms);
        // ready-waiters and the recipe's ssh on their own threads: neither waits for the other's
        ExecutorService waiters = Executors.newFixedThreadPool(n);
        ExecutorService tabs = Executors.newFixedThreadPool(n);
        try {
            double vm0 = ProcCpu.treeSeconds(vms);
            double host0 = ProcCpu.treeSeconds(masters);
            double machine0 = machineCpuSeconds();
            long t0 = System.nanoTime();
            move(staged, caFile);
            List<Future<Fleet.Restarted>> ready = new ArrayList<>();
            for (Fleet.Member m : ms) ready.add(waiters.submit(() -> Fleet.awaitRestarted(m, before.get(m))));
            List<Future<Double>> clients = new ArrayList<>();
            for (Fleet.Member m : ms) clients.add(tabs.submit(() -> timedRecipe(home, m, caFile)));
            double clientCpu = 0;
            for (Future<Double> c : clients) clientCpu += get(c);
            long t1 = System.nanoTime();
            Thread.sleep(2000); // the same tail as the agent's: until 2 s after the method was done
            double host = ProcCpu.treeSeconds(masters) - host0 + clientCpu;
            double cpu = ProcCpu.treeSeconds(vms) - vm0 + host;
            double machine = machineCpuSeconds() - machine0;
            List<Fleet.Restarted> seen = new ArrayList<>();
            for (Future<Fleet.Restarted> r : ready) seen.add(get(r));
            long last = seen.stream().mapToLong(Fleet.Restarted::nanos).max().orElseThrow();
            f.verifyPulls(ms, next, seen);
            ms.forEach(m -> m.trusts = next);
            return new Reaction((last - t0) / 1e6, (t1 - t0) / 1e6, cpu, machine, host);
        } finally {
            waiters.shutdownNow();
            tabs.shutdownNow();
        }
    }

    /** The recipe on M through bash, whose {@code times} reports the CPU of its child ssh; returns those seconds. */
    private static double timedRecipe(ColimaHome home, Fleet.Member m, Path ca) {
        Sh.Result r = Sh.check(
                Sh.run(
                        List.of(
                                "bash",
                                "-c",
                                "ssh -F \"$1\" \"$2\" \"$3\"; rc=$?; times >&2; exit $rc",
                                "recipe",
                                home.instanceDir(m.profile)
                                        .resolve("ssh.config")
                                        .toString(),
                                "lima-" + ColimaHome.instanceId(m.profile),
                                RECIPE),
                        Map.of(),
                        ca,
                        Duration.ofMinutes(2)),
                "recipe on " + m.profile);
        List<String> lines = r.err().strip().lines().toList();
        Matcher t = TIMES.matcher(lines.get(lines.size() - 1)); // times: the shell's line, then its children's
        if (!t.matches()) throw new IllegalStateException("no `times` line after the recipe: " + r);
        return Integer.parseInt(t.group(1)) * 60
                + Double.parseDouble(t.group(2))
                + Integer.parseInt(t.group(3)) * 60
                + Double.parseDouble(t.group(4));
    }

    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /** PIDs of the ssh ControlMaster processes (ControlPersist) of MS, from {@code ssh -O check}. */
    static List<Long> masterPids(ColimaHome home, List<Fleet.Member> ms) {
        List<Long> out = new ArrayList<>();
        for (Fleet.Member m : ms) {
            Sh.Result r = Sh.run(
                    List.of(
                            "ssh",
                            "-F",
                            home.instanceDir(m.profile).resolve("ssh.config").toString(),
                            "-O",
                            "check",
                            "lima-" + ColimaHome.instanceId(m.profile)),
                    Map.of(),
                    null,
                    Duration.ofSeconds(20));
            Matcher p = MASTER.matcher(r.all());
            if (!p.find()) throw new IllegalStateException(m.profile + ": no ssh ControlMaster running: " + r);
            out.add(Long.parseLong(p.group(1)));
        }
        return out;
    }

    private static final Pattern MASTER = Pattern.compile("Master running \\(pid=(\\d+)\\)");

    static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** (b): the recipe over the first n VMs of F, one after the other. */
    Run manually(Fleet f, int n, Path caFile, ColimaHome home) {
        List<Fleet.Member> ms = f.first(n);
        char cur = f.members.get(0).trusts;
        for (Fleet.Member m : ms) {
            if (m.trusts != cur) {
                recipe(home, m, f.ca(cur).caPem());
                m.trusts = cur;
            }
        }
        char next = Fleet.other(cur);
        f.assertRejects(ms, next);
        Path staged = stage(caFile, f.ca(next).caPem());

        double cpu0 = machineCpuSeconds();
        long t0 = System.nanoTime();
        move(staged, caFile);
        for (Fleet.Member m : ms) recipe(home, m, caFile);
        long t1 = System.nanoTime();
        double cpu = machineCpuSeconds() - cpu0;
        f.awaitPulls(ms, next);
        long t2 = System.nanoTime();

        ms.forEach(m -> m.trusts = next);
        f.removeImages(ms, next);
        return new Run((t1 - t0) / 1e6, (t2 - t0) / 1e6, cpu);
    }

    /** ssh -F <instance>/ssh.config lima-<instance> RECIPE < CA: what `colima ssh -p PROFILE -- ...` runs. */
    static void recipe(ColimaHome home, Fleet.Member m, Path ca) {
        String id = ColimaHome.instanceId(m.profile);
        Sh.check(
                Sh.run(
                        List.of(
                                "ssh",
                                "-F",
                                home.instanceDir(m.profile)
                                        .resolve("ssh.config")
                                        .toString(),
                                "lima-" + id,
                                RECIPE),
                        Map.of(),
                        ca,
                        Duration.ofMinutes(2)),
                "recipe on " + m.profile);
    }

    /** Ends the ssh ControlMaster processes the recipe left running (ControlPersist yes), via ssh -O exit. */
    static void closeMasters(ColimaHome home, List<Fleet.Member> ms) {
        for (Fleet.Member m : ms) {
            Sh.run(
                    List.of(
                            "ssh",
                            "-F",
                            home.instanceDir(m.profile).resolve("ssh.config").toString(),
                            "-O",
                            "exit",
                            "lima-" + ColimaHome.instanceId(m.profile)),
                    Map.of(),
                    null,
                    Duration.ofSeconds(20));
        }
    }

    static Path stage(Path target, Path content) {
        try {
            return Files.copy(
                    content,
                    target.resolveSibling("." + target.getFileName() + ".new"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void move(Path staged, Path target) {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void replace(Path target, Path content) {
        move(stage(target, content), target);
    }
}
