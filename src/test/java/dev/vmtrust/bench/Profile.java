package dev.vmtrust.bench;

import dev.vmtrust.config.Config;
import dev.vmtrust.it.TestCa;
import dev.vmtrust.it.TestKeys;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.JschConnector;
import dev.vmtrust.ssh.OutputBudget;
import dev.vmtrust.ssh.RemoteShell;
import dev.vmtrust.ssh.SshEndpoint;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.vm.script.VmScript;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one VM's part of an agent round goes, for choosing the next levers: {@code scripts/bench.sh profile}
 * (not part of the benchmark's figures). One sandbox VM with dockerd, the product's own JschConnector and in-VM
 * script: the wall time of the handshake and of each exec an agent round makes (observe, apply with restart
 * always and auto, a no-change observe) and of the pieces alone, then one traced apply (bash xtrace with
 * $EPOCHREALTIME; bash instead of the VM's /bin/sh, so absolute times are a little higher) summed per command
 * and per function of the script. Env: PROFILE_RUNS (default 5).
 */
public final class Profile {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("PROFILE_RUNS", "5"));
        Path work = Files.createTempDirectory(Path.of("/tmp"), "vmtp-");
        TestKeys keys = TestKeys.generate(work.resolve("keys"));
        TestCa caA = TestCa.create(work.resolve("ca-a"));
        TestCa caB = TestCa.create(work.resolve("ca-b"));
        CaBundle a = bundle(caA.caPem());
        CaBundle b = bundle(caB.caPem());
        JschConnector ssh = new JschConnector(
                new Config.Ssh(Duration.ofSeconds(10), Duration.ofSeconds(120), List.of()),
                HostResolver.SYSTEM,
                new OutputBudget(OutputBudget.DEFAULT_BYTES));
        Duration t = Duration.ofMinutes(2);
        Map<String, Stats> wall = new java.util.LinkedHashMap<>();
        try (Fleet f = Fleet.boot(
                "p", 1, work.resolve("vms"), keys, caA, caB, Files.createDirectories(work.resolve("storage")))) {
            SshEndpoint ep = new SshEndpoint("127.0.0.1", f.members.get(0).vm.port(), "limauser", keys.privateKey());
            String observe = VmScript.command(VmScript.Mode.OBSERVE, null);
            CaBundle cur = a;
            try (RemoteShell sh = ssh.connect(ep, "colima/p1")) {
                check(sh.exec(
                        VmScript.command(VmScript.Mode.APPLY, Config.RestartPolicy.ALWAYS), VmScript.render(a), t));
            }
            for (int r = 0; r < runs; r++) {
                for (Config.RestartPolicy policy : List.of(Config.RestartPolicy.ALWAYS, Config.RestartPolicy.AUTO)) {
                    CaBundle next = cur == a ? b : a;
                    long t0 = System.nanoTime();
                    RemoteShell sh = ssh.connect(ep, "colima/p1");
                    long t1 = System.nanoTime();
                    check(sh.exec(observe, VmScript.withoutCertificates(), t));
                    long t2 = System.nanoTime();
                    check(sh.exec(VmScript.command(VmScript.Mode.APPLY, policy), VmScript.render(next), t));
                    long t3 = System.nanoTime();
                    check(sh.exec(observe, VmScript.withoutCertificates(), t));
                    long t4 = System.nanoTime();
                    sh.close();
                    add(wall, "connect (JSch handshake + auth)", t1 - t0);
                    add(wall, "observe exec", t2 - t1);
                    add(wall, "apply exec, restart " + policy.word(), t3 - t2);
                    add(wall, "observe exec, nothing to do", t4 - t3);
                    cur = next;
                }
            }
            // the pieces, each on its own in the VM (as root, through the same session)
            try (RemoteShell sh = ssh.connect(ep, "colima/p1")) {
                for (String cmd : List.of(
                        "true",
                        "sudo -n true",
                        "systemctl is-active --quiet docker",
                        "systemctl is-active --quiet docker; systemctl is-active --quiet containerd;"
                                + " systemctl is-active --quiet buildkit; systemctl is-active --quiet k3s",
                        "systemctl is-active containerd docker buildkit k3s",
                        "sudo -n docker ps -q",
                        "sudo -n docker info --format '{{.LiveRestoreEnabled}}'",
                        "sudo -n update-ca-certificates",
                        "sudo -n systemctl restart docker")) {
                    for (int r = 0; r < runs; r++) {
                        long t0 = System.nanoTime();
                        sh.exec(cmd, (byte[]) null, t);
                        add(wall, "exec: " + cmd, System.nanoTime() - t0);
                    }
                }
                // one traced apply (a rotation), restart auto
                CaBundle next = cur == a ? b : a;
                String traced = "exec 5>/tmp/vmtrust.trace; BASH_XTRACEFD=5\n"
                        + "PS4='+${EPOCHREALTIME} ${FUNCNAME[0]:-main} '\nset -x\n" + VmScript.render(next);
                check(sh.exec("sudo -n bash -s -- apply auto", traced, t));
                String trace = sh.exec("sudo -n cat /tmp/vmtrust.trace", (byte[]) null, t)
                        .stdout();
                Files.writeString(work.resolve("trace.txt"), trace);
                System.out.println(summary(trace));
            }
        }
        System.out.println("\nWall time per step (median (min-max) of " + runs + "):");
        wall.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-95s %s%n", k, v.millis()));
        System.out.println("\n(trace kept in " + work.resolve("trace.txt") + ")");
        System.exit(0);
    }

    /** Time from each traced line to the next, summed per command word and per function. */
    static String summary(String trace) {
        Map<String, double[]> byCmd = new TreeMap<>();
        Map<String, double[]> byFn = new TreeMap<>();
        List<String[]> ls = new ArrayList<>();
        for (String l : trace.lines().toList()) {
            if (!l.startsWith("+")) continue;
            String[] p = l.replaceFirst("^\\++", "").split(" ", 3);
            if (p.length < 3 || !p[0].matches("\\d+\\.\\d+")) continue;
            ls.add(p);
        }
        double total = 0;
        for (int i = 0; i + 1 < ls.size(); i++) {
            double d = (Double.parseDouble(ls.get(i + 1)[0]) - Double.parseDouble(ls.get(i)[0])) * 1000;
            total += d;
            String cmd = ls.get(i)[2].split(" ")[0];
            byCmd.computeIfAbsent(cmd, k -> new double[2])[0] += d;
            byCmd.get(cmd)[1]++;
            byFn.computeIfAbsent(ls.get(i)[1], k -> new double[2])[0] += d;
            byFn.get(ls.get(i)[1])[1]++;
        }
        StringBuilder sb = new StringBuilder(
                String.format(Locale.ROOT, "Traced apply (auto): %.0f ms over %d lines%n", total, ls.size()));
        sb.append("  by command (time until the next traced line; n):\n");
        byCmd.entrySet().stream()
                .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
                .limit(15)
                .forEach(e -> sb.append(String.format(
                        Locale.ROOT, "    %-40s %7.1f ms  %4.0f%n", e.getKey(), e.getValue()[0], e.getValue()[1])));
        sb.append("  by function (self time):\n");
        byFn.entrySet().stream()
                .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
                .limit(15)
                .forEach(e -> sb.append(String.format(
                        Locale.ROOT, "    %-40s %7.1f ms  %4.0f%n", e.getKey(), e.getValue()[0], e.getValue()[1])));
        return sb.toString();
    }

    private static void add(Map<String, Stats> m, String k, long nanos) {
        m.computeIfAbsent(k, x -> new Stats()).add(nanos / 1e6);
    }

    private static void check(ExecResult r) {
        if (!r.ok()) throw new IllegalStateException("exit " + r.exitCode() + ":\n" + r.stdout() + r.stderr());
    }

    private static CaBundle bundle(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate c =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return CaBundle.of(List.of(CaCert.fromDer(c.getEncoded())));
        }
    }
}
