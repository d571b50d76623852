package dev.vmtrust.ssh;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.vm.script.ScriptOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run in a child JVM with the installed heap (-Xmx64m) by {@link JschOutputIT}: {@code N} sessions at once
 * to one sshd, each running {@code COMMAND}; prints one line per session: its error message, or "ok".
 * Args: port key sessions command.
 */
public final class ChattyVms {
    private ChattyVms() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path key = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        String command = args[3];
        OutputBudget budget = new OutputBudget(OutputBudget.DEFAULT_BYTES);
        JschConnector connector = new JschConnector(
                new Config.Ssh(Duration.ofSeconds(10), Duration.ofSeconds(60), List.of()), HostResolver.SYSTEM, budget);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "colima/vm" + i;
            results.add(pool.submit(() -> {
                try (RemoteShell sh = connector.connect(new SshEndpoint("127.0.0.1", port, "root", key), name)) {
                    ExecResult r = sh.exec(command, "stdin text\n", Duration.ofSeconds(60));
                    var parsed = ScriptOutput.parse(r.stdout(), r.stderr(), r.exitCode(), r.stdoutDropped());
                    return parsed.error()
                            .map(e -> e.code() + ": " + e.message())
                            .orElse("ok");
                }
            }));
        }
        for (Future<String> f : results) System.out.println(f.get());
        System.out.println("budget left " + budget.left());
        pool.shutdown();
    }
}
