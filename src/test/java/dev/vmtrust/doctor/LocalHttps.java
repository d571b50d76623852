package dev.vmtrust.doctor;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vmtrust.testing.TestCerts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTPS server on 127.0.0.1 (never any other address) presenting {@code leaf} and the extra chain
 * certificates given; answers every request with 204 and counts HEAD requests. For doctor's probe tests.
 */
public final class LocalHttps implements AutoCloseable {
    private final HttpsServer server;
    private final AtomicInteger heads = new AtomicInteger();

    private LocalHttps(HttpsServer server) {
        this.server = server;
    }

    public static LocalHttps start(TestCerts.Issued leaf, TestCerts.Issued... chain) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            Certificate[] certs = new Certificate[chain.length + 1];
            certs[0] = leaf.cert().x509();
            for (int i = 0; i < chain.length; i++)
                certs[i + 1] = chain[i].cert().x509();
            ks.setKeyEntry("server", leaf.keys().getPrivate(), "pw".toCharArray(), certs);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            s.setHttpsConfigurator(new HttpsConfigurator(ctx));
            LocalHttps local = new LocalHttps(s);
            s.createContext("/", ex -> {
                if (ex.getRequestMethod().equals("HEAD")) local.heads.incrementAndGet();
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            s.start();
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url(String path) {
        return URI.create("https://127.0.0.1:" + port() + path);
    }

    public int heads() {
        return heads.get();
    }

    /** A trust manager over {@code roots} only: a stand-in for the public roots. */
    static X509TrustManager trusting(TestCerts.Issued... roots) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (TestCerts.Issued r : roots)
                ks.setCertificateEntry(r.cert().sha256(), r.cert().x509());
            if (roots.length == 0) {
                return new X509TrustManager() { // PKIX refuses an empty anchor set; this one refuses every chain
                    @Override
                    public void checkClientTrusted(X509Certificate[] c, String a)
                            throws java.security.cert.CertificateException {
                        throw new java.security.cert.CertificateException("no public roots");
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] c, String a)
                            throws java.security.cert.CertificateException {
                        throw new java.security.cert.CertificateException("no public roots");
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                };
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            return (X509TrustManager) Arrays.stream(f.getTrustManagers())
                    .filter(t -> t instanceof X509TrustManager)
                    .findFirst()
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
