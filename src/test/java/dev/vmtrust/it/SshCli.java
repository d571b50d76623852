package dev.vmtrust.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The OpenSSH client binary against a sandbox VM, as limauser: for harness self-tests (the product uses JSch). */
public final class SshCli {
    private SshCli() {}

    /** Runs REMOTE (a shell command line) over ssh; ignores host config, known_hosts and agents. */
    public static ExecResult ssh(TestKeys keys, int port, String remote) {
        return Cmd.run(
                List.of(
                        "ssh",
                        "-F",
                        "/dev/null",
                        "-i",
                        keys.privateKey().toString(),
                        "-p",
                        Integer.toString(port),
                        "-o",
                        "IdentitiesOnly=yes",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "StrictHostKeyChecking=no",
                        "-o",
                        "UserKnownHostsFile=/dev/null",
                        "-o",
                        "LogLevel=ERROR",
                        "-o",
                        "ConnectTimeout=10",
                        "limauser@127.0.0.1",
                        remote),
                Duration.ofMinutes(2),
                null,
                Map.of("SSH_AUTH_SOCK", ""));
    }
}
