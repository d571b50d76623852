package dev.vmtrust.bench;

import dev.vmtrust.it.ColimaHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
        char cur = f.members.get(0).trusts;
        if (ms.stream().anyMatch(m -> m.trusts != cur)) {
            replace(caFile, f.ca(cur).caPem());
            vmtrust.sync(configAll);
            f.members.forEach(m -> m.trusts = cur);
        }
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
        if (ts.size() != n || !ts.stream().allMatch(t -> "updated".equals(t.get("result"))
                && List.of("docker").equals(t.get("restarted")))) {
            throw new IllegalStateException("expected " + n + " targets updated with docker restarted: " + report);
        }
        ms.forEach(m -> m.trusts = next);
        f.removeImages(ms, next);
        return new Run((t1 - t0) / 1e6, (t2 - t0) / 1e6, cpu);
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
        Sh.check(Sh.run(List.of("ssh", "-F", home.instanceDir(m.profile).resolve("ssh.config").toString(),
                "lima-" + id, RECIPE), Map.of(), ca, Duration.ofMinutes(2)), "recipe on " + m.profile);
    }

    /** Ends the ssh ControlMaster processes the recipe left running (ControlPersist yes), via ssh -O exit. */
    static void closeMasters(ColimaHome home, List<Fleet.Member> ms) {
        for (Fleet.Member m : ms) {
            Sh.run(List.of("ssh", "-F", home.instanceDir(m.profile).resolve("ssh.config").toString(), "-O", "exit",
                    "lima-" + ColimaHome.instanceId(m.profile)), Map.of(), null, Duration.ofSeconds(20));
        }
    }

    static Path stage(Path target, Path content) {
        try {
            return Files.copy(content, target.resolveSibling("." + target.getFileName() + ".new"),
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
