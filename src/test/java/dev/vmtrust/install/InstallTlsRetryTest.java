package dev.vmtrust.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.sh behind a TLS-intercepting proxy: the stand-in mvn fails with Maven's PKIX error unless MAVEN_OPTS
 * names a trust store that holds the proxy's CA; install.sh retries once with the host's CAs (stand-in Keychain
 * through the stand-in security, or a CA bundle under VMTRUST_TEST_ROOT), never with TLS checks off, and removes
 * the store. The machine's own trust store is only read (the JDK's cacerts, copied into the temporary store).
 */
class InstallTlsRetryTest {
    @TempDir
    static Path shared;

    static Path jar;
    static TestCerts.Issued proxyCa;
    static TestCerts.Issued otherCa;

    @TempDir
    Path tmp;

    InstallFixture f;

    @BeforeAll
    static void fakeJarAndCas() throws Exception {
        jar = FakeJar.build(shared);
        proxyCa = TestCerts.rootCa("CN=Zscaler Root CA,O=Zscaler Inc.");
        otherCa = TestCerts.rootCa("CN=Corp Device CA,O=Corp");
    }

    @BeforeEach
    void fixture() throws Exception {
        f = new InstallFixture(tmp, jar);
        f.homebrewJava17();
        f.box.env.put("MAVEN_OPTS", "-Dexisting=1");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    /** The stand-in `security` on PATH, with {@code pem} as the only certificate of keychain {@code keychain}. */
    private void keychain(Path keychain, String pem) throws Exception {
        Sandbox.standIn("fake-security/security", f.box.bin.resolve("security"));
        f.box.env.put("FAKE_SECURITY_LOG", f.box.root.resolve("security.log").toString());
        Files.createDirectories(keychain.getParent());
        Files.writeString(keychain, "");
        Files.createDirectories(Path.of(keychain + ".d"));
        Files.writeString(Path.of(keychain + ".d", "ca.pem"), pem);
    }

    private static int jdkCacertsEntries() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib/security/cacerts"))) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks.size();
    }

    private void proxyNeeds(TestCerts.Issued ca) throws Exception {
        f.box.env.put("FAKE_MVN_NEED_CA", InstallFixture.keytoolFingerprint(ca.der()));
    }

    @Test
    void aBuildFailingOnPkixIsRetriedOnceWithTheKeychainsCertificatesAndTheStoreIsRemoved() throws Exception {
        keychain(f.macRoot.resolve("Library/Keychains/System.keychain"), proxyCa.pem());
        keychain(f.box.home.resolve("Library/Keychains/login.keychain-db"), otherCa.pem());
        proxyNeeds(proxyCa);

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo(
                        "install: the build failed on TLS (PKIX): retrying with a trust store of this Mac's Keychain certificates\n"
                                + "install: trust store: the JDK's cacerts and 2 more certificates from this host (0 unreadable)\n");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("install: vmtrust is in " + f.macDest() + "\n");
        assertThat(Files.readAllLines(f.box.root.resolve("security.log")))
                .containsExactly("find-certificate -a -p " + f.macRoot.resolve("Library/Keychains/System.keychain")
                        + " " + f.box.home.resolve("Library/Keychains/login.keychain-db"));
        List<String> calls = f.mvnCalls();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).endsWith(" | MAVEN_OPTS=-Dexisting=1");
        assertThat(calls.get(1))
                .matches(".* \\| MAVEN_OPTS=-Dexisting=1 -Djavax\\.net\\.ssl\\.trustStore=\\Q" + f.box.tmpDir
                        + "\\E/vmtrust-install\\.\\w+/trust\\.p12 -Djavax\\.net\\.ssl\\.trustStoreType=PKCS12"
                        + " -Djavax\\.net\\.ssl\\.trustStorePassword=vmtrust-install");
        assertThat(calls.get(2)).isEqualTo("Your keystore contains " + (jdkCacertsEntries() + 2) + " entries");
        assertThat(f.box.tmpDir).isEmptyDirectory();
    }

    @Test
    void onLinuxAPkixFailureIsRetriedWithTheHostBundleAndOnlyItsCertificatesAreTaken() throws Exception {
        f.box.env.put("FAKE_UNAME", "Linux");
        Path usr = f.box.root.resolve("usr");
        Sandbox.realJavaAt(usr);
        f.onPath(usr);
        Path bundle = f.macRoot.resolve("etc/ssl/certs/ca-certificates.crt");
        Files.createDirectories(bundle.getParent());
        // CRLF line ends, a private key between the certificates (never copied), the proxy's CA twice
        Files.writeString(
                bundle,
                (otherCa.pem() + TestCerts.pkcs8Pem(TestCerts.ecKeys()) + proxyCa.pem() + proxyCa.pem())
                        .replace("\n", "\r\n"));
        proxyNeeds(proxyCa);
        // mvn splits MAVEN_OPTS on blanks: a TMPDIR with a space must not end up in the store's path
        Path spacedTmp = Files.createDirectories(f.box.root.resolve("tmp with space"));
        f.box.env.put("TMPDIR", spacedTmp.toString());

        Sandbox.Result r = f.install("--no-service");

        assertThat(f.mvnCalls().get(1)).contains("-Djavax.net.ssl.trustStore=/tmp/vmtrust-install.");
        assertThat(spacedTmp).isEmptyDirectory();
        assertThat(r.err())
                .isEqualTo(
                        "install: the build failed on TLS (PKIX): retrying with a trust store of this host's CA bundle ("
                                + bundle + ")\n"
                                + "install: trust store: the JDK's cacerts and 2 more certificates from this host (0 unreadable)\n");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(f.mvnCalls())
                .hasSize(3)
                .last()
                .isEqualTo("Your keystore contains " + (jdkCacertsEntries() + 2) + " entries");
        assertThat(r.out() + r.err()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aPkixFailureThatTheHostsCertificatesDoNotFixFailsAfterOneRetry() throws Exception {
        keychain(f.macRoot.resolve("Library/Keychains/System.keychain"), otherCa.pem());
        proxyNeeds(proxyCa);

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .startsWith(
                        "install: the build failed on TLS (PKIX): retrying with a trust store of this Mac's Keychain certificates\n"
                                + "install: trust store: the JDK's cacerts and 1 more certificate from this host (0 unreadable)\n"
                                + "[ERROR] Plugin org.apache.maven.plugins:maven-shade-plugin:3.6.0")
                .endsWith(
                        "unable to find valid certification path to requested target -> [Help 1]\n"
                                + "install: the build still fails on TLS with this host's certificates: the proxy's root CA is not among them;"
                                + " add it (macOS: Keychain Access, System keychain, Always Trust) and run this script again\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(f.mvnCalls().stream().filter(l -> l.startsWith("args="))).hasSize(2);
        assertThat(f.macDest()).doesNotExist();
        assertThat(f.box.tmpDir).isEmptyDirectory();
    }

    @Test
    void withoutAnyHostCaBundleAPkixFailureIsShownAndNotRetried() throws Exception {
        f.box.env.put("FAKE_UNAME", "Linux");
        Path usr = f.box.root.resolve("usr");
        Sandbox.realJavaAt(usr);
        f.onPath(usr);
        proxyNeeds(proxyCa);

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .endsWith("-> [Help 1]\n"
                        + "install: the build failed on TLS (PKIX) and this host has no CA bundle to retry with\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(f.mvnCalls()).hasSize(1);
    }
}
