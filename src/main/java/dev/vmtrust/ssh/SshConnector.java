package dev.vmtrust.ssh;

/** Opens a {@link RemoteShell} to one VM. {@code targetName} ({@code colima/default}, {@code lima/dev}) goes into messages. */
public interface SshConnector {

    RemoteShell connect(SshEndpoint endpoint, String targetName) throws SshException;
}
