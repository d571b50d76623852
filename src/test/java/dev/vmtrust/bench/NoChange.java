package dev.vmtrust.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Figure 2: a sync when nothing changed. Its work is read from outside the product: every file in each VM's /etc
 * overlay and CA folder (name, size, mtime), each dockerd's PID, the Colima YAMLs, and the SSH logins in each
 * sshd's log. Writes and restarts must be zero (asserted); the report must say unchanged for every target.
 */
final class NoChange {
    /** One measured sync: time, files changed, engines restarted, SSH logins. */
    record Run(double ms, int writes, int restarts, int sshLogins) {}

    static Run measure(Vmtrust vmtrust, Fleet f, Path config, Path colimaHome) {
        Map<String, String> before = snapshot(f, colimaHome);
        int loginsBefore = logins(f);
        long t0 = System.nanoTime();
        Map<String, Object> report = vmtrust.sync(config);
        double ms = (System.nanoTime() - t0) / 1e6;
        Map<String, String> after = snapshot(f, colimaHome);
        int restarts = 0;
        int writes = 0;
        for (String k : union(before, after)) {
            if (java.util.Objects.equals(before.get(k), after.get(k))) continue;
            if (k.endsWith("/run/docker.pid")) restarts++;
            else writes++;
        }
        for (Map<String, Object> t : Vmtrust.targets(report)) {
            if (!"unchanged".equals(t.get("result"))
                    || !"unchanged".equals(t.get("persisted"))
                    || !List.of().equals(t.get("restarted"))) {
                throw new IllegalStateException("a no-change sync changed something: " + report);
            }
        }
        if (writes != 0 || restarts != 0) {
            throw new IllegalStateException("a no-change sync wrote " + writes + " files and restarted " + restarts
                    + " engines:\nbefore " + before + "\nafter " + after);
        }
        return new Run(ms, writes, restarts, logins(f) - loginsBefore);
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> s = new java.util.TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    static Map<String, String> snapshot(Fleet f, Path colimaHome) {
        Map<String, String> m = new TreeMap<>();
        for (Fleet.Member member : f.members) {
            Path v = member.vm.dir();
            walk(v.resolve("etc-upper"), m);
            walk(v.resolve("local-ca"), m);
            Path pid = v.resolve("run/docker.pid");
            m.put(pid.toString(), read(pid));
        }
        walk(colimaHome, m);
        m.keySet().removeIf(k -> k.endsWith("/ha.pid") || k.endsWith("/ssh.sock"));
        return m;
    }

    private static void walk(Path root, Map<String, String> m) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(p -> {
                try {
                    BasicFileAttributes a =
                            Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    m.put(p.toString(), a.size() + " " + a.lastModifiedTime().toInstant());
                } catch (IOException gone) {
                    m.put(p.toString(), "gone");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int logins(Fleet f) {
        int n = 0;
        for (Fleet.Member m : f.members) {
            n += (int) read(m.vm.consoleLog())
                    .lines()
                    .filter(l -> l.contains("Accepted publickey"))
                    .count();
        }
        return n;
    }

    static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
