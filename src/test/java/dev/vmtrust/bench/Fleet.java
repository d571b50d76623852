package dev.vmtrust.bench;

import dev.vmtrust.it.ColimaHome;
import dev.vmtrust.it.ExecResult;
import dev.vmtrust.it.FreePort;
import dev.vmtrust.it.SandboxVm;
import dev.vmtrust.it.TestCa;
import dev.vmtrust.it.TestKeys;
import dev.vmtrust.it.TlsRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A group of sandbox "Colima VMs", each with a real sshd and dockerd and two real TLS registries in its own
 * network namespace: registry.test:5000 with a certificate signed by CA "A", registry.test:5002 signed by CA
 * "B". All registries share one storage folder on the host, seeded once with a tiny image. A rotation flips the
 * group between A and B; "the VM trusts X" is proved by a {@code docker pull} from X's registry (and the image is
 * removed again, so the next pull really fetches). Each VM remembers which CA it was last given.
 */
final class Fleet implements AutoCloseable {
    static final int PORT_A = 5000;
    static final int PORT_B = 5002;

    /** One VM of the group, with the CA it was last given ('A', 'B' or '-' for none). */
    static final class Member {
        final String profile;
        final SandboxVm vm;
        final List<Process> registries = new ArrayList<>();
        char trusts = '-';

        Member(String profile, SandboxVm vm) {
            this.profile = profile;
            this.vm = vm;
        }
    }

    final List<Member> members = new ArrayList<>();
    final TestCa caA;
    final TestCa caB;
    private final ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "bench-fleet");
        t.setDaemon(true);
        return t;
    });

    private Fleet(TestCa caA, TestCa caB) {
        this.caA = caA;
        this.caB = caB;
    }

    /** Boots N VMs named PREFIX1..PREFIXN (one by one: each boot is mostly dockerd start-up). */
    static Fleet boot(String prefix, int n, Path dir, TestKeys keys, TestCa caA, TestCa caB, Path storage) {
        Fleet f = new Fleet(caA, caB);
        try {
            for (int i = 1; i <= n; i++) {
                String name = prefix + i;
                SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(dir.resolve(name), FreePort.pick(), keys.publicKey()))
                        .docker(true)
                        .start();
                Member m = new Member(name, vm);
                f.members.add(m);
                m.registries.add(Registry.start(vm, caA, PORT_A, storage, dir.resolve(name + "-reg")));
                m.registries.add(Registry.start(vm, caB, PORT_B, storage, dir.resolve(name + "-reg")));
            }
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    List<Member> first(int n) {
        return members.subList(0, n);
    }

    /** Host PIDs of the members' PID 1 (sshd): the roots of their process trees for {@link ProcCpu}. */
    static List<Long> initPids(List<Member> ms) {
        List<Long> out = new ArrayList<>();
        for (Member m : ms) {
            long p = m.vm.initPid();
            if (p <= 0) throw new IllegalStateException(m.profile + ": the VM is not running");
            out.add(p);
        }
        return out;
    }

    /** The CA every member was last given, after bringing stragglers to the first member's (through SYNC_ALL). */
    char converge(Path caFile, Runnable syncAll) {
        char cur = members.get(0).trusts;
        if (members.stream().anyMatch(m -> m.trusts != cur)) {
            Rotation.replace(caFile, ca(cur).caPem());
            syncAll.run();
            members.forEach(m -> m.trusts = cur);
        }
        return cur;
    }

    /** Profiles 1..N of this group as running Colima profiles in a fresh COLIMA_HOME. */
    ColimaHome home(Path dir, TestKeys keys, int n) {
        ColimaHome h = ColimaHome.create(dir, keys);
        first(n).forEach(m -> h.running(m.profile, m.vm));
        return h;
    }

    TestCa ca(char which) {
        return which == 'A' ? caA : caB;
    }

    static char other(char which) {
        return which == 'A' ? 'B' : 'A';
    }

    static String image(char which) {
        return TlsRegistry.HOST + ":" + (which == 'A' ? PORT_A : PORT_B) + "/" + Registry.IMAGE + ":latest";
    }

    /** The result of one pull of X's image in M (the image is removed again afterwards). */
    static ExecResult pull(Member m, char which) {
        ExecResult r = m.vm.exec("docker", "pull", "-q", image(which));
        if (r.ok()) m.vm.exec("docker", "rmi", "-f", image(which));
        return r;
    }

    /**
     * Waits until every member pulls X's image, all members in parallel, each retrying every 100 ms (a dockerd
     * that is still restarting refuses the connection); fails after 60 s.
     */
    void awaitPulls(List<Member> ms, char which) {
        parallel(ms, m -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                ExecResult r = m.vm.exec("docker", "pull", "-q", image(which));
                if (r.ok()) return null;
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException(m.profile + ": pull of " + image(which)
                            + " still fails after 60 s: " + r.output().strip());
                Thread.sleep(100);
            }
        });
    }

    /** dockerd's PID as the VM's /run/docker.pid says (read on the host side), "" when there is none. */
    static String dockerPid(Member m) {
        return NoChange.read(m.vm.dir().resolve("run/docker.pid"));
    }

    Map<Member, String> dockerPids(List<Member> ms) {
        Map<Member, String> out = new HashMap<>();
        ms.forEach(m -> out.put(m, dockerPid(m)));
        return out;
    }

    /**
     * The moment M's dockerd is back with new roots: its PID differs from BEFORE and it answers {@code GET /_ping}
     * on its socket (checked from the host through the VM's /run, no process per try, every 10 ms). Fails after
     * 60 s. Returns System.nanoTime() of the first answer. That this dockerd trusts the new CA is proved
     * afterwards by {@link #verifyPulls} (a pull from the same PID: dockerd reads the roots once, at start).
     */
    static Restarted awaitRestarted(Member m, String before) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Path sock = m.vm.dir().resolve("run/docker.sock");
        while (true) {
            String now = dockerPid(m);
            if (!now.isEmpty() && !now.equals(before) && ping(sock)) return new Restarted(m, System.nanoTime(), now);
            if (System.nanoTime() > deadline)
                throw new IllegalStateException(m.profile + ": dockerd not restarted within 60 s" + " (pid before "
                        + before + ", now " + now + ")");
            Thread.sleep(10);
        }
    }

    /** M's dockerd with PID answered at NANOS (System.nanoTime()). */
    record Restarted(Member m, long nanos, String pid) {}

    /** Waits for every member in parallel ({@link #awaitRestarted}); BEFORE holds each one's dockerd PID. */
    List<Restarted> awaitRestarts(List<Member> ms, Map<Member, String> before) {
        return parallel(ms, m -> awaitRestarted(m, before.get(m)));
    }

    private static boolean ping(Path sock) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            ch.write(
                    ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(512);
            while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                /* until the server closes (HTTP/1.0) */
            }
            String reply = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            return reply.startsWith("HTTP/1.") && reply.contains(" 200 ");
        } catch (IOException | RuntimeException notYet) {
            return false;
        }
    }

    /**
     * Untimed proof after a rotation: every member pulls X's image, with the very dockerd that was seen restarted
     * (PIDS), so it was that dockerd's start that loaded the new roots. Removes the image again.
     */
    void verifyPulls(List<Member> ms, char which, List<Restarted> seen) {
        awaitPulls(ms, which);
        for (Restarted r : seen) {
            if (!dockerPid(r.m()).equals(r.pid()))
                throw new IllegalStateException(
                        r.m().profile + ": dockerd restarted again after it was seen ready (pid " + r.pid() + " -> "
                                + dockerPid(r.m()) + ")");
        }
        removeImages(ms, which);
    }

    /** Removes X's image in every member (untimed clean-up after {@link #awaitPulls}). */
    void removeImages(List<Member> ms, char which) {
        parallel(ms, m -> m.vm.exec("docker", "rmi", "-f", image(which)));
    }

    /** Asserts that no member's dockerd accepts X's registry yet: the pull fails with a certificate error. */
    void assertRejects(List<Member> ms, char which) {
        parallel(ms, m -> {
            ExecResult r = m.vm.exec("docker", "pull", "-q", image(which));
            if (r.ok() || !r.output().contains("x509")) {
                throw new IllegalStateException(m.profile + " should reject CA " + which + " (it was given " + m.trusts
                        + "): " + r.output().strip());
            }
            return null;
        });
    }

    interface Job<T> {
        T call(Member m) throws Exception;
    }

    <T> List<T> parallel(List<Member> ms, Job<T> job) {
        List<Future<T>> fs = new ArrayList<>();
        for (Member m : ms) fs.add(pool.submit((Callable<T>) () -> job.call(m)));
        List<T> out = new ArrayList<>();
        for (Future<T> f : fs) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    /** Seeds the shared registry storage with the tiny image through a plain-HTTP twin in the first VM. */
    void seed(Path storage, Path work) {
        try {
            Registry.seed(members.get(0).vm, storage, Files.createDirectories(work));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.registries.forEach(SandboxVm::kill);
            m.vm.stop();
        }
        pool.shutdownNow();
    }
}
