package dev.vmtrust.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Durations;
import dev.vmtrust.platform.HostResolver;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link SshConnector} over JSch. Per connect: a fresh {@link JSch} holding only the instance's key
 * (no agent, no ~/.ssh, no password or keyboard-interactive: never prompts), one {@link Session}.
 *
 * <p>Host keys: {@code StrictHostKeyChecking=no} with JSch's in-memory known-hosts, thrown away with the
 * JSch object, like Lima's {@code UserKnownHostsFile /dev/null}: VMs are recreated with new host keys.
 * This also holds for non-loopback hosts the user listed in {@code ssh.allowHosts}: listing a host
 * means trusting the network path to it. The host is resolved once by {@link SshHostPolicy}
 * and JSch gets the checked numeric address.
 *
 * <p>Timeouts: {@code ssh.connectTimeout} bounds TCP connect, the handshake and authentication
 * together (JSch's per-read socket timeout plus a watchdog that drops the session at the deadline,
 * because JSch bounds each read, not the total). After login, keepalives every connectTimeout (3
 * missed = session lost). Each {@link RemoteShell#exec} has its own command timeout.
 */
public final class JschConnector implements SshConnector {
    static {
        // JSch's logger is static; this is the one accepted static setting (DESIGN: "No static state").
        JSch.setLogger(new JschSlf4jLogger());
    }

    private final Config.Ssh ssh;
    private final SshHostPolicy policy;

    private final OutputBudget budget;

    /** {@code budget} is shared by every connector of the process (one, built in Main). */
    public JschConnector(Config.Ssh ssh, HostResolver resolver, OutputBudget budget) {
        this.ssh = ssh;
        this.budget = budget;
        this.policy = new SshHostPolicy(ssh.allowHosts(), resolver);
    }

    /** The host policy's one checked address, with the port. */
    @Override
    public String vet(SshEndpoint ep, String targetName) throws SshException {
        InetAddress address = policy.check(ep, targetName);
        return new SshEndpoint(address.getHostAddress(), ep.port(), ep.user(), ep.identityFile()).address();
    }

    @Override
    public RemoteShell connect(SshEndpoint ep, String targetName) throws SshException {
        InetAddress address = policy.check(ep, targetName);
        int connectMs = (int)
                Math.min(Integer.MAX_VALUE, Math.max(1, ssh.connectTimeout().toMillis()));
        String where = targetName + ": cannot reach the VM over SSH (" + ep.address() + "): ";
        JSch jsch = new JSch();
        try {
            jsch.addIdentity(ep.identityFile().toString());
        } catch (JSchException e) {
            // JSch's message is not shown: never risk echoing key material.
            throw new SshException(
                    SshException.Kind.CONFIG,
                    targetName + ": cannot use the SSH key "
                            + ep.identityFile() + ": not a private key JSch can read, or it has a passphrase; try: "
                            + VmHints.restart(targetName));
        }
        Session session;
        try {
            // The numeric address the policy checked, never the name: JSch would resolve it again.
            session = jsch.getSession(ep.user(), address.getHostAddress(), ep.port());
            session.setHostKeyAlias(ep.host());
            session.setConfig("StrictHostKeyChecking", "no");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setDaemonThread(true);
            session.setServerAliveInterval(connectMs);
            session.setServerAliveCountMax(3);
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.CONNECTION, where + e.getMessage(), e);
        }
        AtomicBoolean watchdogFired = new AtomicBoolean();
        connectWithin(session, connectMs, watchdogFired, where, ep, targetName);
        return new JschRemoteShell(session, targetName, connectMs, budget);
    }

    private void connectWithin(
            Session session, int connectMs, AtomicBoolean fired, String where, SshEndpoint ep, String targetName)
            throws SshException {
        CountDownLatch done = new CountDownLatch(1);
        Thread watchdog = new Thread(
                () -> {
                    try {
                        if (!done.await(connectMs, TimeUnit.MILLISECONDS)) {
                            fired.set(true);
                            session.disconnect();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "vmtrust-ssh-connect-watchdog " + targetName);
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            session.connect(connectMs);
        } catch (JSchException e) {
            session.disconnect();
            throw classify(e, fired.get(), where, ep, targetName);
        } finally {
            done.countDown();
        }
        if (fired.get()) { // lost the race: connected just as the deadline passed
            session.disconnect();
            throw timeout(where, targetName, null);
        }
    }

    private SshException classify(
            JSchException e, boolean watchdogFired, String where, SshEndpoint ep, String targetName) {
        if (watchdogFired || hasCause(e, SocketTimeoutException.class)) return timeout(where, targetName, e);
        if (hasCause(e, ConnectException.class)) {
            return new SshException(
                    SshException.Kind.REFUSED,
                    where + "connection refused; is it running? try: " + VmHints.start(targetName),
                    e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Auth fail") || m.startsWith("Auth cancel")) {
            return new SshException(
                    SshException.Kind.AUTH,
                    where + "the VM refused the key " + ep.identityFile() + "; try: " + VmHints.restart(targetName),
                    e);
        }
        if (m.contains("timeout") || m.contains("timed out")) return timeout(where, targetName, e);
        return new SshException(SshException.Kind.CONNECTION, where + m + "; try: " + VmHints.restart(targetName), e);
    }

    private SshException timeout(String where, String targetName, Throwable cause) {
        return new SshException(
                SshException.Kind.TIMEOUT,
                where + "no answer within " + Durations.format(ssh.connectTimeout()) + "; the VM may be hung; try: "
                        + VmHints.restart(targetName),
                cause);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }
}
