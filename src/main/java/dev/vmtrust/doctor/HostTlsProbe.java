package dev.vmtrust.doctor;

import dev.vmtrust.doctor.TlsProbeResult.Outcome;
import dev.vmtrust.platform.Durations;
import dev.vmtrust.platform.HostResolver;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@link TlsProbe} over a plain {@link SSLSocket}: connect and handshake with a trust manager that only
 * RECORDS the presented chain (so every chain is seen, trusted or not), then judge that chain with PKIX
 * against the CA set and against the public roots (the JDK's default trust store unless given). Only
 * when the chain verifies is one {@code HEAD} sent, and its status line read. The host name is not
 * judged: doctor asks which CA issued the chain, not whether the server has the right name.
 */
public final class HostTlsProbe implements TlsProbe {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final X509TrustManager publicRoots;
    private final Duration timeout;
    private final HostResolver resolver;

    /** Public roots = the JDK's default trust store; names through the system resolver. */
    public HostTlsProbe() {
        this(defaultTrustManager(), TIMEOUT);
    }

    /** Tests pass a trust manager over their own "public" roots. */
    public HostTlsProbe(X509TrustManager publicRoots, Duration timeout) {
        this(publicRoots, timeout, HostResolver.SYSTEM);
    }

    /** Tests also pass their own resolver (no lookup of public names). */
    public HostTlsProbe(X509TrustManager publicRoots, Duration timeout, HostResolver resolver) {
        this.publicRoots = publicRoots;
        this.timeout = timeout;
        this.resolver = resolver;
    }

    @Override
    public TlsProbeResult probe(URI url, CaBundle set) {
        String host = url.getHost();
        int port = url.getPort() < 0 ? 443 : url.getPort();
        int ms = (int) Math.max(1, timeout.toMillis());
        ChainRecorder recorder = new ChainRecorder();
        if (host == null || host.isEmpty())
            return TlsProbeResult.failed(Outcome.HANDSHAKE_FAILED, "the URL has no host");
        InetAddress address;
        try { // bounded: the system lookup has no timeout of its own
            address = BoundedLookup.first(resolver, host, timeout);
        } catch (BoundedLookup.NoAnswer e) {
            return TlsProbeResult.failed(
                    Outcome.NO_NETWORK,
                    "DNS lookup of " + host + " did not answer within " + Durations.format(timeout));
        } catch (UnknownHostException e) {
            return TlsProbeResult.failed(Outcome.NO_NETWORK, "cannot resolve " + host);
        }
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(address, port), ms);
            raw.setSoTimeout(ms);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {recorder}, null);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true)) {
                try {
                    tls.startHandshake();
                } catch (SSLException e) {
                    if (recorder.chain() == null) return TlsProbeResult.failed(Outcome.HANDSHAKE_FAILED, message(e));
                    return judge(recorder, set);
                }
                TlsProbeResult verdict = judge(recorder, set);
                if (verdict.outcome() == Outcome.TRUSTED_BY_SET || verdict.outcome() == Outcome.TRUSTED_PUBLIC) {
                    return new TlsProbeResult(
                            verdict.outcome(), head(tls, url, host, port), verdict.issuer(), verdict.rootSha256());
                }
                return verdict;
            }
        } catch (UnknownHostException e) {
            return TlsProbeResult.failed(Outcome.NO_NETWORK, "cannot resolve " + host);
        } catch (ConnectException e) {
            return TlsProbeResult.failed(
                    Outcome.NO_NETWORK, "cannot connect to " + host + ":" + port + " (" + message(e) + ")");
        } catch (SocketTimeoutException e) {
            return TlsProbeResult.failed(
                    Outcome.NO_NETWORK, "no answer from " + host + ":" + port + " within " + Durations.format(timeout));
        } catch (SocketException e) {
            return TlsProbeResult.failed(Outcome.NO_NETWORK, host + ":" + port + ": " + message(e));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return TlsProbeResult.failed(Outcome.HANDSHAKE_FAILED, message(e));
        }
    }

    /** The verdict on a recorded chain (no I/O). */
    TlsProbeResult judge(ChainRecorder rec, CaBundle set) {
        X509Certificate[] chain = rec.chain();
        CaCert top;
        try {
            top = CaCert.fromDer(chain[chain.length - 1].getEncoded());
        } catch (CertificateException | IllegalArgumentException e) {
            return TlsProbeResult.failed(Outcome.HANDSHAKE_FAILED, "the server sent an unreadable certificate");
        }
        String issuer = top.issuer();
        String rootSha = top.selfSigned() ? top.sha256() : null;
        boolean issuerInSet =
                set.find(top.sha256()).isPresent() || set.certs().stream().anyMatch(top::signedBy);
        Optional<String> bySet = set.isEmpty() ? Optional.of("the CA set is empty") : verify(trustManager(set), rec);
        if (bySet.isEmpty()) return new TlsProbeResult(Outcome.TRUSTED_BY_SET, null, issuer, rootSha);
        if (verify(publicRoots, rec).isEmpty())
            return new TlsProbeResult(Outcome.TRUSTED_PUBLIC, null, issuer, rootSha);
        if (issuerInSet) return new TlsProbeResult(Outcome.BROKEN, bySet.get(), issuer, rootSha);
        return new TlsProbeResult(Outcome.UNKNOWN_ISSUER, null, issuer, rootSha);
    }

    /** Empty when {@code tm} accepts the recorded chain, else why not. */
    private static Optional<String> verify(X509TrustManager tm, ChainRecorder rec) {
        try {
            tm.checkServerTrusted(rec.chain(), rec.authType());
            return Optional.empty();
        } catch (CertificateException | RuntimeException e) {
            return Optional.of(message(e));
        }
    }

    /** One HEAD, returns "HTTP 200"-style text or null when no status line came back in time. */
    private static String head(SSLSocket tls, URI url, String host, int port) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
        // URI.getHost() keeps an IPv6 literal's brackets ("[::1]"): add them only when missing
        String hostHeader = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (port == 443 ? "" : ":" + port);
        String request = "HEAD " + path + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nUser-Agent: vmtrust-doctor\r\nConnection: close\r\n\r\n";
        try {
            OutputStream out = tls.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = tls.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n' && line.length() < 200; ) line.append((char) b);
            String[] words = line.toString().strip().split(" ");
            return words.length >= 2 && words[0].startsWith("HTTP/") ? "HTTP " + words[1] : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static X509TrustManager trustManager(CaBundle set) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (CaCert c : set.certs()) ks.setCertificateEntry(c.sha256(), c.x509());
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            return firstX509(f);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust manager for the CA set", e);
        }
    }

    /** The JDK's default trust store (cacerts) as a trust manager. */
    public static X509TrustManager defaultTrustManager() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            return firstX509(f);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default trust store", e);
        }
    }

    private static X509TrustManager firstX509(TrustManagerFactory f) {
        for (TrustManager tm : f.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
        throw new IllegalStateException("no X509TrustManager");
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
