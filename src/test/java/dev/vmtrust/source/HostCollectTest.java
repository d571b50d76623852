package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.testing.HostLayouts;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole collection on a Linux host laid out under a temporary root, with the default config. */
class HostCollectTest {
    @TempDir
    Path dir;

    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued shipped = TestCerts.rootCa("CN=Public Root,O=Public Trust");

    private CollectedSet collect(String yaml, Os os) throws Exception {
        Environment env = new Environment(Map.of("HOME", dir.resolve("home").toString()), os);
        Config config = ConfigLoader.parse(dir.resolve("config.yaml"), yaml, env);
        Path root = dir.resolve("root");
        return CaCollector.fromConfig(
                        config,
                        os,
                        new ProcessRunner(),
                        Clock.systemUTC(),
                        CaCollector.publicRoots(config, os, new ProcessRunner(), Clock.systemUTC(), root),
                        root)
                .collect();
    }

    private HostLayouts debian() {
        return new HostLayouts(dir.resolve("root"))
                .osRelease("debian", null)
                .write("/usr/share/ca-certificates/mozilla/Public_Root.crt", shipped.pem())
                .write("/etc/ca-certificates.conf", "mozilla/Public_Root.crt\n")
                .write("/etc/ssl/certs/ca-certificates.crt", shipped.pem() + corp.pem());
    }

    @Test
    void aRootInstalledTheDebianWayIsFoundWithNoConfigAndIsNotTakenForAPublicRoot() throws Exception {
        debian().write("/usr/local/share/ca-certificates/corp.crt", corp.pem());
        CollectedSet c = collect("sources: {vendorFiles: false}\n", Os.LINUX);
        assertThat(c.bundle().certs()).containsExactly(corp.cert());
        assertThat(c.labels().get(corp.cert().sha256()))
                .containsExactly("host:/usr/local/share/ca-certificates/corp.crt");
        assertThat(c.rejected()).isEmpty();
        assertThat(c.publicRoots().line())
                .isEqualTo("public roots: Debian's shipped set (/usr/share/ca-certificates/mozilla, 1 root)");
    }

    @Test
    void aShippedRootCopiedIntoTheAnchorsFolderIsStillPublic() throws Exception {
        debian().write("/usr/local/share/ca-certificates/copy.crt", shipped.pem());
        CollectedSet c = collect("sources: {vendorFiles: false}\n", Os.LINUX);
        assertThat(c.bundle().isEmpty()).isTrue();
        assertThat(c.rejected())
                .extracting(r -> r.source() + ": " + r.reason())
                .containsExactly(
                        "host:/usr/local/share/ca-certificates/copy.crt: \"CN=Public Root,O=Public Trust\": public root; VMs already trust it");
    }

    @Test
    void noCaFoundOnADebianHostNamesTheHostStoreFoldersAndTheDebianFix() throws Exception {
        debian();
        CollectedSet c = collect("sources: {vendorFiles: false}\n", Os.LINUX);
        assertThat(c.bundle().isEmpty()).isTrue();
        assertThat(c.looked().text())
                .isEqualTo("looked in: the host store (Debian/Ubuntu) /usr/local/share/ca-certificates, "
                        + "/usr/share/ca-certificates (lines of /etc/ca-certificates.conf outside mozilla/). Next: install your proxy's root CA "
                        + "the Debian/Ubuntu way: sudo cp corp-root.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates; "
                        + "or list its file under sources.files in " + dir.resolve("config.yaml"));
    }

    @Test
    void noCaFoundOnAFedoraHostGivesFedorasFolderAndTool() throws Exception {
        new HostLayouts(dir.resolve("root")).osRelease("fedora", null);
        CollectedSet c = collect("sources: {vendorFiles: false}\n", Os.LINUX);
        assertThat(c.looked().nextStep())
                .isEqualTo("install your proxy's root CA the Fedora/RHEL way: sudo cp corp-root.crt "
                        + "/etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust extract; or list its file under sources.files in "
                        + dir.resolve("config.yaml"));
    }

    @Test
    void noCaFoundOnAMacNamesTheKeychainsAndTheKeychainFix() throws Exception {
        Path security = dev.vmtrust.testing.FakeSecurity.install(dir);
        Path kc = dev.vmtrust.testing.FakeSecurity.keychain(dir.resolve("System.keychain"));
        CollectedSet c = collect(
                "sources: {keychain: {command: " + security + ", keychains: [" + kc + "]}, vendorFiles: false,"
                        + " publicRoots: none}\n",
                Os.MACOS);
        assertThat(c.looked().text())
                .isEqualTo("looked in: keychains " + kc + " (trusted CAs only). Next: add your proxy's root CA"
                        + " to the System keychain and trust it: sudo security add-trusted-cert -d -r trustRoot -k"
                        + " /Library/Keychains/System.keychain corp-root.crt; or list its file under sources.files in "
                        + dir.resolve("config.yaml"));
        assertThat(List.of(c.bundle().size())).containsExactly(0);
    }
}
