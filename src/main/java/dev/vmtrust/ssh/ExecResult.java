package dev.vmtrust.ssh;

/**
 * The outcome of one remote command. {@code exitCode} is -1 when the command ended without an exit
 * status (killed by a signal). Output is decoded as UTF-8.
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() { return exitCode == 0; }
}
