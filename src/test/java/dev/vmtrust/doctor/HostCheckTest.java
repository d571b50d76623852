package dev.vmtrust.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigLoader;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.platform.ProcessRunner;
import dev.vmtrust.source.CaCollector;
import dev.vmtrust.source.CollectedSet;
import dev.vmtrust.testing.HostLayouts;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor's {@code host} check, like the keychain's: one line per input, from a layout under a temporary root. */
class HostCheckTest {
    @TempDir
    Path dir;

    private final TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");

    private List<Check> host(String yaml, Os os) throws Exception {
        Environment env = new Environment(Map.of("HOME", dir.resolve("home").toString()), os);
        Config config = ConfigLoader.parse(dir.resolve("config.yaml"), yaml, env);
        Path root = dir.resolve("root");
        CollectedSet c = CaCollector.fromConfig(
                        config,
                        os,
                        new ProcessRunner(),
                        Clock.systemUTC(),
                        CaCollector.publicRoots(config, os, new ProcessRunner(), Clock.systemUTC(), root),
                        root)
                .collect();
        return SourceChecks.host(config.sources(), os, c, root);
    }

    private static List<String> lines(List<Check> checks) {
        return checks.stream().map(CheckText::line).toList();
    }

    @Test
    void theHostStoreIsShownPerInputLikeTheKeychain() throws Exception {
        new HostLayouts(dir.resolve("root"))
                .osRelease("ubuntu", "debian")
                .write("/usr/local/share/ca-certificates/corp.crt", corp.pem())
                .write(
                        "/usr/local/share/ca-certificates/broken.crt",
                        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThat(lines(host("sources: {vendorFiles: false, publicRoots: none}\n", Os.LINUX)))
                .containsExactly(
                        "ok    host                host:/usr/local/share/ca-certificates/corp.crt: 1 CA in the set",
                        "warn  host                host:/usr/local/share/ca-certificates/broken.crt: 0 CAs in the set; rejected: block 1"
                                + " is not a valid certificate: bad base64\n"
                                + "      next: fix or remove the inputs named; `vmtrust list` shows every rejected input");
    }

    @Test
    void anEmptyHostStoreSaysWhereItLookedAndAMacSaysItIsOff() throws Exception {
        new HostLayouts(dir.resolve("root")).osRelease("fedora", null);
        assertThat(lines(host("sources: {vendorFiles: false, publicRoots: none}\n", Os.LINUX)))
                .containsExactly(
                        "ok    host                host store (Fedora/RHEL): no locally added CA in /etc/pki/ca-trust/source/anchors,"
                                + " /usr/share/pki/ca-trust-source/anchors, /etc/pki/ca-trust/source");
        assertThat(lines(host(
                        "sources: {keychain: {enabled: false}, vendorFiles: false, publicRoots: none}\n", Os.MACOS)))
                .containsExactly(
                        "ok    host                off: the host store is read on a Linux host only (sources.host: auto)");
    }
}
