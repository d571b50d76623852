package dev.vmtrust.cli;

/** Commands with a {@code --json} flag: errors are then printed as {@code {"error":{"exit":N,"message":"..."}}} on stdout. */
public interface JsonOutput {
    boolean json();
}
