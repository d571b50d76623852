package dev.vmtrust.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real {@link CommandRunner}: {@link ProcessBuilder}, optional extra environment. */
public final class ProcessRunner implements CommandRunner {
    /** Output beyond this is dropped (still drained) so a runaway process cannot exhaust memory. */
    static final int MAX_CAPTURE = 8 * 1024 * 1024;

    private final Map<String, String> extraEnv;

    public ProcessRunner() {
        this(Map.of());
    }

    public ProcessRunner(Map<String, String> extraEnv) {
        this.extraEnv = Map.copyOf(extraEnv);
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws CommandException {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(extraEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CommandException("cannot run `" + CommandException.describe(argv) + "`: " + e.getMessage(), e);
        }
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin.length > 0) in.write(stdin);
        } catch (IOException e) {
            // the process closed its stdin early; its exit code tells the rest
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                throw new CommandTimeoutException("`" + CommandException.describe(argv) + "` timed out after "
                        + Durations.format(timeout) + " and was stopped");
            }
            out.join(2000);
            err.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException("`" + CommandException.describe(argv) + "` was interrupted");
        }
        return new CommandResult(argv, p.exitValue(), out.text(), err.text());
    }

    /** Reads a stream to the end on its own thread, keeping at most {@link #MAX_CAPTURE} bytes. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            setName("vmtrust-drain");
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (in) {
                for (int n; (n = in.read(b)) > 0; ) {
                    synchronized (buf) {
                        if (buf.size() < MAX_CAPTURE) buf.write(b, 0, Math.min(n, MAX_CAPTURE - buf.size()));
                    }
                }
            } catch (IOException e) {
                // stream closed when the process was killed
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
