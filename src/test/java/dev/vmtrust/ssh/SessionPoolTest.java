package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SessionPool over a connector that opens one countable fake session per connect. */
class SessionPoolTest {
    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong();
    private final Sessions fresh = new Sessions();
    private final SessionPool pool = new SessionPool(fresh, Duration.ofMinutes(20), clock::get);
    private SshEndpoint ep;

    /** After every test: the pool counts exactly the sessions that are still open. */
    @org.junit.jupiter.api.AfterEach
    void countsMatch() {
        assertThat(pool.openSessions()).as("sessions the pool counts as open").isEqualTo(fresh.stillOpen());
    }

    @BeforeEach
    void key() throws Exception {
        ep = new SshEndpoint("127.0.0.1", 2222, "limauser", Files.writeString(tmp.resolve("user"), "key one\n"));
    }

    /** A session: counts its execs, can be made to look closed or to fail its next exec. */
    static final class Session implements RemoteShell {
        final int id;
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        volatile boolean open = true;
        volatile SshException failNext;

        Session(int id) {
            this.id = id;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
            if (!open) throw new SshException(SshException.Kind.CONNECTION, "exec on a closed session", null, true);
            SshException e = failNext;
            failNext = null;
            if (e != null) throw e;
            commands.add(command);
            return new ExecResult(0, "session " + id + "\n", "");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** The fresh connector: a new Session per connect; vet() and connect() can be made to fail. */
    static final class Sessions implements SshConnector {
        final List<Session> opened = Collections.synchronizedList(new ArrayList<>());
        volatile SshException vetFails;
        volatile SshException connectFails;

        @Override
        public RemoteShell connect(SshEndpoint endpoint, String targetName) throws SshException {
            if (connectFails != null) throw connectFails;
            Session s = new Session(opened.size() + 1);
            opened.add(s);
            return s;
        }

        @Override
        public String vet(SshEndpoint endpoint, String targetName) throws SshException {
            if (vetFails != null) throw vetFails;
            return endpoint.address();
        }

        long stillOpen() {
            return opened.stream().filter(s -> s.open).count();
        }
    }

    private String run(String target) throws SshException {
        return run(ep, target);
    }

    private String run(SshEndpoint endpoint, String target) throws SshException {
        try (RemoteShell sh = pool.connect(endpoint, target)) {
            return sh.exec("true", (byte[]) null, T).stdout().strip();
        }
    }

    @Test
    void oneSessionPerVmServesEveryLaterConnect() throws Exception {
        assertThat(List.of(run("colima/default"), run("colima/default"), run("colima/default")))
                .containsExactly("session 1", "session 1", "session 1");
        try (RemoteShell sh = pool.connect(ep, "colima/default")) { // several execs on one lease, too
            sh.exec("a", (byte[]) null, T);
            sh.exec("b", "text", T);
        }
        assertThat(fresh.opened).hasSize(1);
        assertThat(fresh.opened.get(0).commands).containsExactly("true", "true", "true", "a", "b");
        assertThat(pool.opened()).isEqualTo(1);
        assertThat(pool.reused()).isEqualTo(3);
        assertThat(fresh.opened.get(0).open).as("kept open between rounds").isTrue();
    }

    @Test
    void eachVmHasItsOwnSession() throws Exception {
        run("colima/a");
        run("colima/b");
        run("colima/a");
        assertThat(fresh.opened).hasSize(2);
        assertThat(pool.openSessions()).isEqualTo(2);
    }

    @Test
    void aSecondCallerForTheSameVmMeanwhileGetsItsOwnSessionAndOnlyOneIsKept() throws Exception {
        run("colima/default");
        RemoteShell first = pool.connect(ep, "colima/default");
        RemoteShell second = pool.connect(ep, "colima/default");
        assertThat(first.exec("x", (byte[]) null, T).stdout()).isEqualTo("session 1\n");
        assertThat(second.exec("y", (byte[]) null, T).stdout()).isEqualTo("session 2\n");
        first.close();
        second.close();
        assertThat(fresh.opened.get(1).open)
                .as("the extra one is closed when given back")
                .isFalse();
        assertThat(run("colima/default")).isEqualTo("session 1");
        assertThat(pool.openSessions()).isEqualTo(1);
    }

    @Test
    void aVmOnAnotherPortGetsANewSessionAndTheOldOneIsClosed() throws Exception {
        run("colima/default");
        SshEndpoint moved = new SshEndpoint(ep.host(), 2223, ep.user(), ep.identityFile());
        assertThat(run(moved, "colima/default")).isEqualTo("session 2");
        assertThat(fresh.opened.get(0).open).isFalse();
        assertThat(run(moved, "colima/default")).isEqualTo("session 2");
    }

    @Test
    void anotherUserOrKeyFileGetsANewSession() throws Exception {
        run("colima/default");
        assertThat(run(new SshEndpoint(ep.host(), ep.port(), "other", ep.identityFile()), "colima/default"))
                .isEqualTo("session 2");
        Path other = Files.writeString(tmp.resolve("other-key"), "key two\n");
        assertThat(run(new SshEndpoint(ep.host(), ep.port(), "other", other), "colima/default"))
                .isEqualTo("session 3");
        assertThat(fresh.stillOpen()).isEqualTo(1);
    }

    @Test
    void aReplacedKeyFileAtTheSamePathGetsANewSession() throws Exception {
        run("colima/default");
        Path staged = Files.writeString(tmp.resolve("user.new"), "a regenerated key, longer\n");
        Files.move(
                staged,
                ep.identityFile(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(run("colima/default")).isEqualTo("session 2");
        assertThat(fresh.opened.get(0).open).isFalse();
    }

    @Test
    void theHostPolicyRunsBeforeEveryReuseAndARefusalClosesTheKeptSession() throws Exception {
        run("colima/default");
        SshException refused = new SshException(SshException.Kind.POLICY, "colima/default: ssh.config points at x");
        fresh.vetFails = refused;
        assertThatThrownBy(() -> run("colima/default")).isSameAs(refused);
        assertThat(fresh.opened.get(0).open).isFalse();
        fresh.vetFails = null;
        assertThat(run("colima/default")).isEqualTo("session 2");
    }

    @Test
    void aKeptSessionThePeerClosedIsReplacedBeforeUse() throws Exception {
        run("colima/default");
        fresh.opened.get(0).open = false; // the VM stopped: JSch saw EOF
        assertThat(run("colima/default")).isEqualTo("session 2");
        assertThat(pool.reused()).isZero();
    }

    @Test
    void aKeptSessionThatFailsBeforeTheCommandStartedIsRetriedOnceOnANewOne() throws Exception {
        run("colima/default");
        Session kept = fresh.opened.get(0);
        kept.failNext = new SshException(
                SshException.Kind.CONNECTION, "lost the SSH session (channel is not opened.)", null, true);
        assertThat(run("colima/default")).isEqualTo("session 2");
        assertThat(kept.open).as("the broken one is closed").isFalse();
        assertThat(kept.commands).containsExactly("true");
        assertThat(run("colima/default")).as("the new one is kept").isEqualTo("session 2");
    }

    @Test
    void whenTheRetryCannotConnectTheFreshConnectsErrorIsReported() throws Exception {
        run("colima/default");
        fresh.opened.get(0).failNext = new SshException(SshException.Kind.CONNECTION, "session is down", null, true);
        SshException refused = new SshException(SshException.Kind.REFUSED, "colima/default: connection refused");
        fresh.connectFails = refused;
        assertThatThrownBy(() -> run("colima/default")).isSameAs(refused);
        assertThat(fresh.stillOpen()).isZero();
        assertThat(pool.openSessions()).isZero();
    }

    @Test
    void aFailureAfterTheCommandStartedIsNotRetriedAndTheSessionIsNotKept() throws Exception {
        run("colima/default");
        SshException lost = new SshException(SshException.Kind.CONNECTION, "lost the SSH session while running");
        fresh.opened.get(0).failNext = lost;
        assertThatThrownBy(() -> run("colima/default")).isSameAs(lost);
        assertThat(fresh.opened).hasSize(1);
        assertThat(fresh.opened.get(0).open).isFalse();
        assertThat(run("colima/default")).isEqualTo("session 2");
    }

    @Test
    void aFreshSessionThatFailsBeforeTheCommandIsNotRetried() throws Exception {
        SshException down = new SshException(SshException.Kind.CONNECTION, "session is down", null, true);
        try (RemoteShell sh = pool.connect(ep, "colima/default")) {
            fresh.opened.get(0).failNext = down;
            assertThatThrownBy(() -> sh.exec("true", (byte[]) null, T)).isSameAs(down);
        }
        assertThat(fresh.opened).hasSize(1);
    }

    @Test
    void aCommandTimeoutKeepsTheSession() throws Exception {
        run("colima/default");
        SshException slow = new SshException(SshException.Kind.COMMAND_TIMEOUT, "did not finish within 5s");
        fresh.opened.get(0).failNext = slow;
        assertThatThrownBy(() -> run("colima/default")).isSameAs(slow);
        assertThat(run("colima/default")).isEqualTo("session 1");
    }

    @Test
    void sessionsIdleForLongerThanTheLimitAreClosedAtTheNextConnect() throws Exception {
        run("colima/a");
        clock.addAndGet(Duration.ofMinutes(19).toNanos());
        run("colima/b");
        assertThat(fresh.opened.get(0).open).as("19 min idle: kept").isTrue();
        clock.addAndGet(Duration.ofMinutes(2).toNanos());
        run("colima/b");
        assertThat(fresh.opened.get(0).open).as("21 min idle: closed").isFalse();
        assertThat(fresh.opened.get(1).open).as("used a moment ago").isTrue();
        assertThat(run("colima/a")).isEqualTo("session 3");
    }

    @Test
    void closeEndsKeptAndLeasedSessionsAndLaterConnectsFail() throws Exception {
        run("colima/a");
        RemoteShell leased = pool.connect(ep, "colima/b");
        pool.close();
        assertThat(fresh.stillOpen()).isZero();
        assertThatThrownBy(() -> leased.exec("true", (byte[]) null, T)).isInstanceOf(SshException.class);
        leased.close();
        assertThatThrownBy(() -> pool.connect(ep, "colima/a"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.CONNECTION))
                .hasMessage("colima/a: the agent is stopping");
        assertThat(pool.openSessions()).isZero();
        pool.close(); // idempotent
    }

    @Test
    void theAgentsPoolKeepsSessionsForTwoResyncIntervals() throws Exception {
        SessionPool agent = SessionPool.forAgent(fresh, Duration.ofMinutes(10));
        try (RemoteShell sh = agent.connect(ep, "colima/default")) {
            sh.exec("true", (byte[]) null, T);
        }
        try (RemoteShell sh = agent.connect(ep, "colima/default")) {
            sh.exec("true", (byte[]) null, T);
        }
        assertThat(agent.opened()).isEqualTo(1);
        agent.close();
        assertThat(fresh.stillOpen()).isZero();
    }

    @Test
    void parallelTargetsAndRoundsShareThePoolSafely() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int round = 0; round < 50; round++) {
                for (int vm = 0; vm < 8; vm++) {
                    String target = "colima/vm" + vm;
                    fs.add(threads.submit(() -> run(target)));
                }
            }
            for (Future<?> f : fs)
                assertThat((String) f.get(20, TimeUnit.SECONDS)).startsWith("session ");
        } finally {
            threads.shutdownNow();
        }
        assertThat(pool.openSessions()).isBetween(1, 8);
        assertThat(fresh.stillOpen()).isEqualTo(pool.openSessions());
        pool.close();
        assertThat(fresh.stillOpen()).isZero();
        assertThat(pool.openSessions()).isZero();
    }
}
