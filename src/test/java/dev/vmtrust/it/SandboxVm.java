package dev.vmtrust.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Handle on one sandbox "Colima VM" (scripts/sandbox-vm.sh): sshd as PID 1 of private namespaces, user limauser,
 * reachable with ssh on the host's 127.0.0.1:port. Call {@link SandboxSupport#assumeSandbox()} first.
 *
 * <p>Lifecycle choice: the script's foreground {@code run} mode, started from ONE long-lived daemon thread. The
 * script arms PDEATHSIG (SIGKILL) on the VM's unshare process, and Linux fires it when the parent <em>thread</em>
 * ends, so a VM can never outlive this JVM, even after kill -9 (a detached {@code start} VM would). As a second
 * net, every VM is recorded in a ledger under java.io.tmpdir, and the first use of this class in a JVM kills
 * (by PID, checking process start times against PID reuse) VMs whose owning JVM is gone. VMs of other live
 * JVMs (parallel builds) are left alone.
 *
 * <p>State persists in the VM dir across stop/start like a disk: use a fresh dir per VM.
 */
public final class SandboxVm implements AutoCloseable {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final Path LEDGER = Path.of(System.getProperty("java.io.tmpdir"), "vmtrust-sandbox-vms");
    private static final Set<SandboxVm> LIVE = ConcurrentHashMap.newKeySet();
    // Never let this thread end while VMs run: PDEATHSIG would kill them. submit() keeps task failures in the
    // Future, so the worker thread survives them.
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-vm-launcher");
        t.setDaemon(true);
        return t;
    });

    static {
        sweepLeftovers();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(SandboxVm::stop), "sandbox-vm-stop"));
    }

    /** Boot options. hosts/loAddress are applied at boot, before dockerd starts (Go caches /etc/hosts). */
    public static final class Options {
        final Path dir;
        final int port;
        final Path publicKey;
        boolean net;
        boolean docker;
        boolean sudoNeedsPassword;
        final List<String> hosts = new ArrayList<>();
        final List<String> loAddresses = new ArrayList<>();

        Options(Path dir, int port, Path publicKey) {
            this.dir = dir;
            this.port = port;
            this.publicKey = publicKey;
        }

        /** Own network namespace; host 127.0.0.1:port is forwarded to the VM's 127.0.0.1:22 by socat. */
        public Options net(boolean on) {
            net = on;
            return this;
        }

        /** Start dockerd at boot, like Colima. */
        public Options docker(boolean on) {
            docker = on;
            return this;
        }

        /** sudo asks limauser for a password (it has none), so {@code sudo -n} fails. */
        public Options sudoNeedsPassword(boolean on) {
            sudoNeedsPassword = on;
            return this;
        }

        /** Adds "ADDRESS NAME" to the VM's /etc/hosts. */
        public Options host(String address, String name) {
            hosts.add(address + " " + name);
            return this;
        }

        /** Adds ADDRESS/32 (or /128) to the VM netns' own lo; net mode only. */
        public Options loAddress(String cidr) {
            loAddresses.add(cidr);
            return this;
        }

        public SandboxVm start() {
            return SandboxVm.start(this);
        }
    }

    private final Options options;
    private final Process process;
    private final Path ledgerEntry;

    private SandboxVm(Options options, Process process, Path ledgerEntry) {
        this.options = options;
        this.process = process;
        this.ledgerEntry = ledgerEntry;
    }

    public static Options options(Path vmDir, int port, Path publicKey) {
        return new Options(vmDir.toAbsolutePath(), port, publicKey.toAbsolutePath());
    }

    public static SandboxVm start(Path vmDir, int port, Path publicKey, boolean net, boolean docker) {
        return options(vmDir, port, publicKey).net(net).docker(docker).start();
    }

    /** Boots the VM and returns once sshd (and dockerd, if asked) answer. */
    public static SandboxVm start(Options o) {
        if (!o.loAddresses.isEmpty() && !o.net) {
            throw new IllegalArgumentException("loAddress needs net mode: never add addresses to the host's lo");
        }
        List<String> cmd = new ArrayList<>(List.of(
                "bash",
                SandboxSupport.script().toString(),
                "run",
                o.dir.toString(),
                Integer.toString(o.port),
                o.publicKey.toString()));
        if (o.net) {
            cmd.add("net");
        }
        try {
            Files.createDirectories(o.dir);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(o.dir.resolve("console.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("FAKEVM_DOCKER", o.docker ? "1" : "0");
            env.put("FAKEVM_NOSUDO_PASSWORDLESS", o.sudoNeedsPassword ? "1" : "0");
            env.put("FAKEVM_HOSTS", String.join(";", o.hosts));
            env.put("FAKEVM_LO_ADDRS", String.join(" ", o.loAddresses));
            env.remove("FAKEVM_USER");
            env.remove("FAKEVM_DETACHED");
            Process p = LAUNCHER.submit(pb::start).get();
            SandboxVm vm = new SandboxVm(o, p, record(p.pid()));
            LIVE.add(vm);
            vm.awaitSshBanner();
            return vm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start sandbox VM in " + o.dir, e);
        }
    }

    /** Runs CMD as root inside all the VM's namespaces (its filesystem view, network, PIDs). */
    public ExecResult exec(String... cmd) {
        return execWithInput(null, cmd);
    }

    /** Like {@link #exec} with a host file as stdin (e.g. a tar for docker import). */
    public ExecResult execWithInput(Path stdin, String... cmd) {
        return Cmd.run(scriptCmd("exec", cmd), Cmd.DEFAULT_TIMEOUT, stdin, Map.of());
    }

    /** Runs CMD in the VM's network+PID namespaces but with the HOST filesystem (host paths work). */
    public ExecResult nsexec(String... cmd) {
        return Cmd.run(scriptCmd("nsexec", cmd), Cmd.DEFAULT_TIMEOUT, null, Map.of());
    }

    /**
     * Starts a long-running CMD like {@link #nsexec}, output to LOG. The returned host-side process is nsenter;
     * the server is its child (other PID inside the VM). Stop it with {@link #kill(Process)}; VM stop kills it too.
     */
    public Process spawnNs(Path log, String... cmd) {
        try {
            return new ProcessBuilder(scriptCmd("nsexec", cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL a process from {@link #spawnNs} and its descendants, by PID. */
    public static void kill(Process p) {
        Cmd.killTree(p);
    }

    /** SIGKILL the VM's PID 1 and the unshare process, by PID: everything inside dies. Idempotent. */
    public void stop() {
        if (process.isAlive()) {
            Cmd.run("bash", SandboxSupport.script().toString(), "stop", options.dir.toString());
            process.destroyForcibly(); // by PID; no-op when already dead
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(this);
        try {
            Files.deleteIfExists(ledgerEntry);
        } catch (IOException ignored) {
            // the sweep skips entries whose processes are gone
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean alive() {
        return process.isAlive() && initPid() > 0;
    }

    /** Host PID of the VM's PID 1 (its sshd, or the init script while booting); -1 when not running. */
    public long initPid() {
        long u = process.pid();
        try {
            String c = Files.readString(Path.of("/proc/" + u + "/task/" + u + "/children"))
                    .trim();
            return c.isEmpty() ? -1 : Long.parseLong(c.split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public int port() {
        return options.port;
    }

    public Path dir() {
        return options.dir;
    }

    public boolean net() {
        return options.net;
    }

    /** The script's and init's output (sshd -e logs here). */
    public Path consoleLog() {
        return options.dir.resolve("console.log");
    }

    /** dockerd's log, seen from the host (the VM's /var/log/dockerd.log lives in the /var overlay). */
    public Path dockerdLog() {
        return options.dir.resolve("var-upper/log/dockerd.log");
    }

    private List<String> scriptCmd(String mode, String... cmd) {
        List<String> all =
                new ArrayList<>(List.of("bash", SandboxSupport.script().toString(), mode, options.dir.toString()));
        all.addAll(List.of(cmd));
        return all;
    }

    /** Ready = "SSH-2.0" comes back on 127.0.0.1:port (in net mode socat accepts before sshd listens). */
    private void awaitSshBanner() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                stop();
                throw new IllegalStateException("sandbox VM died while booting:\n" + Files.readString(consoleLog()));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", options.port), 1000);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                if (new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("SSH-2.0")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet, or socat connected before sshd was up
            }
            Thread.sleep(20);
        }
        stop();
        throw new IllegalStateException(
                "sandbox VM did not answer ssh within " + BOOT_TIMEOUT + ":\n" + Files.readString(consoleLog()));
    }

    // ---- ledger of VMs, for sweeping leftovers of a dead JVM ----

    private static Path record(long unsharePid) throws IOException {
        Files.createDirectories(LEDGER);
        long me = ProcessHandle.current().pid();
        Path entry = LEDGER.resolve(Long.toString(unsharePid));
        Files.writeString(entry, me + " " + startTicks(me) + " " + unsharePid + " " + startTicks(unsharePid) + "\n");
        return entry;
    }

    private static void sweepLeftovers() {
        List<Path> entries;
        try (var list = Files.list(LEDGER)) {
            entries = list.toList();
        } catch (IOException noLedgerYet) {
            return;
        }
        for (Path e : entries) {
            try {
                String[] f = Files.readString(e).trim().split(" ");
                long owner = Long.parseLong(f[0]);
                long unshare = Long.parseLong(f[2]);
                if (startTicks(owner) == Long.parseLong(f[1])) {
                    continue; // its JVM is alive (maybe a parallel build): not ours to touch
                }
                if (startTicks(unshare) == Long.parseLong(f[3])) {
                    ProcessHandle.of(unshare).ifPresent(h -> {
                        h.children().forEach(ProcessHandle::destroyForcibly); // the VM's PID 1
                        h.destroyForcibly();
                    });
                }
                Files.deleteIfExists(e);
            } catch (IOException | RuntimeException skipped) {
                // a half-written entry of a VM being started right now: leave it
            }
        }
    }

    /** Kernel start time of PID (field 22 of /proc/PID/stat), -1 if there is no such process. */
    private static long startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
