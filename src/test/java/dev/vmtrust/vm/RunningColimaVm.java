package dev.vmtrust.vm;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.ssh.ExecResult;
import dev.vmtrust.ssh.FakeRemoteShell;
import dev.vmtrust.ssh.FakeSshConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A running Colima VM "colima/default" under {@code tmp} as LiveSync sees it: ha.pid of a live process (1234, by
 * the fake liveness check), Lima's ssh.config, and a scripted shell behind a fake connector.
 */
record RunningColimaVm(TargetRef target, FakeSshConnector ssh, FakeRemoteShell shell, Path home) {
    static RunningColimaVm in(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("_lima/colima"));
        Path key = Files.writeString(tmp.resolve("user"), "key\n");
        Files.writeString(dir.resolve("ha.pid"), "1234\n");
        Files.writeString(
                dir.resolve("ssh.config"),
                "Host lima-colima\n  IdentityFile \"" + key + "\"\n  User alice\n  Hostname 127.0.0.1\n  Port 52311\n");
        FakeSshConnector ssh = new FakeSshConnector();
        return new RunningColimaVm(
                TargetRef.of(TargetKind.COLIMA, "default", dir, tmp.resolve("default/colima.yaml")),
                ssh,
                ssh.shell("colima/default"),
                tmp);
    }

    /** The live part as sync and the agent use it (small sets in one exec). */
    LiveSync live() {
        return live(LiveSync.ONE_EXEC_MAX);
    }

    /** {@code oneExecMax} 0: the path of a set too large to send every round (observe, plan, apply the plan). */
    LiveSync live(int oneExecMax) {
        return new LiveSync(
                ssh,
                new VmLiveness(pid -> pid == 1234),
                new Environment(Map.of("HOME", home.toString()), Os.LINUX),
                Duration.ofSeconds(120),
                oneExecMax);
    }

    /** A reply of exit code 0 with these stdout lines. */
    static FakeRemoteShell.Responder out(String lines) {
        return call -> new ExecResult(0, lines, "");
    }
}
