package dev.vmtrust.cli;

import dev.vmtrust.platform.CommandRunner;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.ssh.SshConnectorFactory;
import dev.vmtrust.target.HostAgent;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * Everything a command needs from the outside world. Main builds the real one; tests build one with
 * their own environment (temporary HOME, XDG_*, COLIMA_HOME, LIMA_HOME), fakes and string writers.
 */
public record Context(Environment env, CommandRunner runner, SshConnectorFactory ssh, HostAgent hostAgent,
                      Clock clock, PrintWriter out, PrintWriter err) {}
