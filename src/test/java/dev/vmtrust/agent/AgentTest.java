package dev.vmtrust.agent;

import static dev.vmtrust.agent.ReconcileLoopTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.vm.provision.ProvisionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real watcher (inotify on Linux) on temporary folders; each test takes about a second. */
class AgentTest {
    @TempDir
    Path tmp;

    private Path home;
    private Path certs;
    private Path colima;
    private Path lima;
    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private final List<Long> roundNanos = new CopyOnWriteArrayList<>();
    private Agent agent;
    private ReconcileFn fn = r -> RoundResult.empty();
    private final Timing timing = Timing.defaults(Duration.ofMinutes(10)).withPollInterval(Duration.ofMillis(100));

    @BeforeEach
    void folders() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        certs = Files.createDirectories(tmp.resolve("certs"));
        Files.writeString(certs.resolve("corp.pem"), "one");
        colima = tmp.resolve("colima");
        lima = tmp.resolve("lima");
        Path vm = Files.createDirectories(colima.resolve("_lima/colima"));
        for (String f : List.of("lima.yaml", "ssh.config", "ha.pid", "diffdisk", "serial.log", "ha.stdout.log")) {
            Files.writeString(vm.resolve(f), "x");
        }
        Files.createDirectories(colima.resolve("default"));
        Files.writeString(colima.resolve("default/colima.yaml"), "cpu: 2\n");
    }

    @AfterEach
    void close() {
        if (agent != null) agent.close();
    }

    private void start(List<Path> files) throws Exception {
        Environment env = Configs.env(home, Os.current());
        WatchPlan plan = WatchPlan.of(Configs.config(env, files, colima, lima), env, List.of());
        agent = new Agent(
                plan,
                r -> {
                    rounds.add(r);
                    roundNanos.add(System.nanoTime());
                    return fn.run(r);
                },
                timing,
                Clock.systemUTC());
        agent.start();
        awaitTrue(() -> rounds.size() == 1, 2000);
        assertThat(rounds.get(0).reasons()).containsExactly("startup");
    }

    @Test
    void replacingAWatchedCertFileByRenameMakesExactlyOneReconcileWithinASecond() throws Exception {
        start(List.of(certs.resolve("corp.pem")));
        Path temp = certs.resolve(".corp.pem.tmp");
        Files.writeString(temp, "two");
        long t = System.nanoTime();
        Files.move(temp, certs.resolve("corp.pem"), StandardCopyOption.ATOMIC_MOVE);
        awaitTrue(() -> rounds.size() == 2, 1000);
        long latencyMs = (roundNanos.get(1) - t) / 1_000_000;
        System.out.println("rename -> reconcile started: " + latencyMs + " ms (debounce "
                + timing.debounce().toMillis() + " ms)");
        assertThat(rounds.get(1).reasons()).containsExactly("change detected: " + certs.resolve("corp.pem"));
        Thread.sleep(700);
        assertThat(rounds).hasSize(2);
    }

    @Test
    void fiftyWritesToAVmDiskAndItsLogsMakeNoReconcile() throws Exception {
        start(List.of(certs.resolve("corp.pem")));
        Path vm = colima.resolve("_lima/colima");
        for (int i = 0; i < 50; i++) {
            Files.writeString(vm.resolve("diffdisk"), "block " + i, StandardOpenOption.APPEND);
            Files.writeString(vm.resolve("serial.log"), "line " + i + "\n", StandardOpenOption.APPEND);
            Files.writeString(vm.resolve("ha.stdout.log"), "line " + i + "\n", StandardOpenOption.APPEND);
            Files.writeString(certs.resolve("unrelated.pem"), "n" + i);
        }
        Thread.sleep(1000);
        assertThat(rounds).hasSize(1);
    }

    @Test
    void theAgentsOwnProvisionEditMakesNoRoundButAUsersEditAfterItDoes() throws Exception {
        Path yaml = colima.resolve("default/colima.yaml");
        ProvisionFile file = new ProvisionFile(yaml);
        start(List.of());
        file.upsert("# vmtrust: managed entry, do not edit\necho vmtrust\n"); // a round's own write
        Thread.sleep(1000);
        assertThat(rounds).as("own write").hasSize(1);
        Files.writeString(yaml, Files.readString(yaml) + "memory: 4\n");
        awaitTrue(() -> rounds.size() == 2, 2000);
        assertThat(rounds.get(1).reasons()).containsExactly("change detected: " + yaml);
    }

    @Test
    void aVmFolderCreatedLaterIsPickedUpAsAVmStart() throws Exception {
        start(List.of());
        Path vm = Files.createDirectories(colima.resolve("_lima/colima-new"));
        Files.writeString(vm.resolve("ha.pid"), "4242");
        awaitTrue(() -> rounds.size() >= 2, 1500);
        assertThat(rounds.get(1).reasons()).contains("vm start: colima/new");
        assertThat(rounds.get(1).starting()).containsExactly("colima/new");
    }

    @Test
    void aLimaHomeThatAppearsLaterIsWatchedAndItsRunningVmSeen() throws Exception {
        start(List.of());
        Path vm = Files.createDirectories(lima.resolve("dev"));
        Files.writeString(vm.resolve("lima.yaml"), "images: []\n");
        Files.writeString(vm.resolve("ha.pid"), "4242");
        awaitTrue(() -> rounds.stream().anyMatch(r -> r.reasons().contains("vm start: lima/dev")), 2000);

        Thread.sleep(400); // let the start's own requests settle
        int before = rounds.size();
        Files.writeString(vm.resolve("lima.yaml"), "images: [x]\n");
        String reason = "change detected: " + vm.resolve("lima.yaml");
        awaitTrue(
                () -> rounds.subList(before, rounds.size()).stream()
                        .anyMatch(r -> r.reasons().contains(reason)),
                1500);
    }

    @Test
    void aCertFileDirectlyInHomeIsPolled() throws Exception {
        Path cert = home.resolve("corp.pem");
        Files.writeString(cert, "one");
        start(List.of(cert));
        Files.writeString(cert, "longer content");
        awaitTrue(() -> rounds.size() == 2, 1500);
        assertThat(rounds.get(1).reasons()).containsExactly("change detected: " + cert);
    }

    @Test
    void aCertWhoseFolderAppearsLaterIsPickedUp() throws Exception {
        Path cert = tmp.resolve("later/corp.pem");
        start(List.of(cert));
        Files.createDirectories(cert.getParent());
        Files.writeString(cert, "one");
        awaitTrue(() -> rounds.size() >= 2, 1500);
        assertThat(rounds.get(1).reasons()).containsExactly("change detected: " + cert);
    }

    @Test
    void closeReturnsWithinFiveSecondsWhileAReconcileIsBlocked() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        fn = r -> {
            while (!stop.get()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ignored) {
                    // ignores interrupts on purpose
                }
            }
            return RoundResult.empty();
        };
        Environment env = Configs.env(home, Os.current());
        agent = new Agent(
                WatchPlan.of(Configs.config(env, List.of(), colima, lima), env, List.of()),
                r -> {
                    rounds.add(r);
                    return fn.run(r);
                },
                timing,
                Clock.systemUTC());
        agent.start();
        awaitTrue(() -> rounds.size() == 1, 2000);
        long t = System.nanoTime();
        agent.close();
        stop.set(true);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(th -> th.getName().startsWith("vmtrust-watch") && th.isAlive()))
                .isEmpty();
    }
}
