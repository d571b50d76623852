package dev.vmtrust.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A throwaway "corporate" CA and one server certificate it signed, made with the openssl CLI (EC P-256, valid
 * 2 days). Never install it on the host: tests copy {@link #caPem()} into sandbox VMs only.
 *
 * @param caPem     CA certificate, PEM (what the product pushes; name it *.crt for update-ca-certificates)
 * @param caKey     CA private key, PEM
 * @param serverCert server leaf certificate, PEM, SAN = the DNS names given (default registry.test)
 * @param serverKey server private key, PEM
 */
public record TestCa(Path caPem, Path caKey, Path serverCert, Path serverKey) {

    public static TestCa create(Path dir) {
        return create(dir, TlsRegistry.HOST);
    }

    public static TestCa create(Path dir, String... dnsNames) {
        return withSubject(dir, "/O=vmtrust tests/CN=vmtrust test CA " + System.nanoTime(), dnsNames);
    }

    /** A CA named {@code subject} (openssl's /K=V form): two of them are a rotation that keeps the name. */
    public static TestCa withSubject(Path dir, String subject, String... dnsNames) {
        if (dnsNames.length == 0) dnsNames = new String[] {TlsRegistry.HOST};
        try {
            Files.createDirectories(dir);
            TestCa ca = new TestCa(
                    dir.resolve("ca.pem"), dir.resolve("ca.key"), dir.resolve("server.pem"), dir.resolve("server.key"));
            Path csr = dir.resolve("server.csr");
            Path ext = dir.resolve("server.ext");
            String san = Arrays.stream(dnsNames).map(n -> "DNS:" + n).collect(Collectors.joining(","));
            Files.writeString(
                    ext,
                    "subjectAltName=" + san + "\nbasicConstraints=critical,CA:FALSE\n"
                            + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
            Cmd.check(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    ca.caKey.toString(),
                    "-out",
                    ca.caPem.toString(),
                    "-days",
                    "2",
                    "-subj",
                    subject,
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign");
            Cmd.check(
                    "openssl",
                    "req",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    ca.serverKey.toString(),
                    "-out",
                    csr.toString(),
                    "-subj",
                    "/CN=" + dnsNames[0]);
            Cmd.check(
                    "openssl",
                    "x509",
                    "-req",
                    "-in",
                    csr.toString(),
                    "-CA",
                    ca.caPem.toString(),
                    "-CAkey",
                    ca.caKey.toString(),
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-out",
                    ca.serverCert.toString(),
                    "-extfile",
                    ext.toString());
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
