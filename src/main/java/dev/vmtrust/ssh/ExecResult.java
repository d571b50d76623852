package dev.vmtrust.ssh;

/**
 * The outcome of one remote command. {@code exitCode} is -1 when the command ended without an exit
 * status (killed by a signal). Output is decoded as UTF-8. Output past the kept head and tail is
 * dropped (see {@link BoundedSink}): {@code stdoutDropped} counts the bytes of stdout not kept.
 */
public record ExecResult(int exitCode, String stdout, String stderr, long stdoutDropped) {

    public ExecResult(int exitCode, String stdout, String stderr) {
        this(exitCode, stdout, stderr, 0);
    }

    public boolean ok() {
        return exitCode == 0;
    }
}
