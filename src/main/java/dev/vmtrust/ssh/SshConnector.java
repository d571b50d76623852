package dev.vmtrust.ssh;

/** Opens a {@link RemoteShell} to one VM. {@code targetName} ({@code colima/default}, {@code lima/dev}) goes into messages. */
public interface SshConnector {

    RemoteShell connect(SshEndpoint endpoint, String targetName) throws SshException;

    /**
     * The checks {@link #connect} makes before any traffic (the SSH host policy), without connecting; returns
     * where a connect would go (the checked address and port). {@link SessionPool} runs it before every reuse, so
     * a kept session passes exactly the checks a fresh connect would. Default (fakes): no checks, the address.
     */
    default String vet(SshEndpoint endpoint, String targetName) throws SshException {
        return endpoint.address();
    }
}
