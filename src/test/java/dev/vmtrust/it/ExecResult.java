package dev.vmtrust.it;

/** Outcome of a finished command: exit code and its complete stdout/stderr (UTF-8). */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** stdout followed by stderr, for assertions on messages that may go to either stream. */
    public String output() {
        return stdout + stderr;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
