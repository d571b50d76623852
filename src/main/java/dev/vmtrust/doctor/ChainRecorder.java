package dev.vmtrust.doctor;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that accepts every server chain and remembers it (and the key exchange's auth type),
 * so that the probe can judge the chain afterwards. Extended, so that JSSE adds no checks of its own.
 * Used for a probe only; never for a connection that carries data beyond one HEAD request.
 */
final class ChainRecorder extends X509ExtendedTrustManager {
    private volatile X509Certificate[] chain;
    private volatile String authType;

    X509Certificate[] chain() {
        return chain == null ? null : chain.clone();
    }

    String authType() {
        return authType;
    }

    private void record(X509Certificate[] c, String type) {
        if (c != null && c.length > 0) {
            chain = c.clone();
            authType = type;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String type) {
        record(c, type);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String type, Socket s) {
        record(c, type);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String type, SSLEngine e) {
        record(c, type);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String type) {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String type, Socket s) {
        checkClientTrusted(c, type);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String type, SSLEngine e) {
        checkClientTrusted(c, type);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
