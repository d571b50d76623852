package dev.vmtrust.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * CPU seconds of process trees, from /proc: for every live process below (and including) the roots,
 * utime + stime + cutime + cstime. Linux adds a reaped child's own and children's time to its parent's
 * cutime/cstime, so the sum also holds every process of the tree that already ended, as long as someone in
 * the tree reaped it (in a sandbox VM, orphans go to its PID 1, sshd, which reaps them). The difference of two
 * sums over the same roots is the CPU the tree used in between, whatever started and ended meanwhile.
 *
 * <p>Unlike /proc/stat this counts only the processes of one method (the agent or the recipe, and the VMs they
 * work on), so other builds on a shared machine do not show up in the figure.
 */
final class ProcCpu {
    private ProcCpu() {}

    /** The sum over the trees of ROOTS (host PIDs); roots that are gone count 0. */
    static double treeSeconds(Collection<Long> roots) {
        long ticks = 0;
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            if (!seen.add(pid)) continue;
            ticks += ownAndReapedTicks(pid);
            todo.addAll(children(pid));
        }
        return ticks / (double) AgentBench.clockTicks();
    }

    /** utime + stime + cutime + cstime (fields 14-17 of /proc/PID/stat), 0 for a process that is gone. */
    static long ownAndReapedTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Children of every thread of PID (a thread's children file lists only the children it forked). */
    private static Set<Long> children(long pid) {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    for (String c :
                            Files.readString(t.resolve("children")).trim().split("\\s+")) {
                        if (!c.isEmpty()) out.add(Long.parseLong(c));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return out;
    }

    /** Busy CPU time of the whole machine so far, in seconds (/proc/stat, everything but idle and iowait). */
    static double machineSeconds() {
        return Rotation.machineCpuSeconds();
    }
}
