package dev.vmtrust.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} (where the log goes: logback's console appender looks
 * System.err up on every write) while open; restores the old stream on close. Not for parallel tests.
 */
public final class StderrCapture implements AutoCloseable {
    private final PrintStream old = System.err;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    public StderrCapture() {
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    public String text() {
        System.err.flush();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(old);
    }
}
