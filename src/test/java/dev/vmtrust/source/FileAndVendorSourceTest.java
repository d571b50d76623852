package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAndVendorSourceTest {
    @TempDir
    Path dir;

    private final TestCerts.Issued root = TestCerts.rootCa("CN=Netskope certadmin,O=Netskope");
    private final TestCerts.Issued tenant = TestCerts.intermediate("CN=ca.tenant.goskope.com,O=Netskope", root);

    @Test
    void fileSourceLabelsEachCaWithItsFileAndReportsMissingFiles() throws IOException {
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), root.pem() + tenant.pem());
        Path missing = dir.resolve("missing.pem");
        Screened<SourcedCa> r = FileSource.files(List.of(bundle, missing), new CertFiles(), Clock.systemUTC())
                .read();
        assertThat(r.accepted())
                .containsExactly(
                        new SourcedCa(root.cert(), "file:" + bundle), new SourcedCa(tenant.cert(), "file:" + bundle));
        assertThat(r.rejected())
                .containsExactly(new Rejection("file:" + missing, "cannot read: No such file or directory"));
    }

    @Test
    void vendorSourceReadsOnlyTheAllowlistedNamesAndSkipsMissingOnesSilently() throws IOException {
        Path data = Files.createDirectories(dir.resolve("Netskope/STAgent/data"));
        Path combined = Files.writeString(data.resolve("nscacert_combined.pem"), root.pem() + tenant.pem());
        Files.writeString(data.resolve("npaccesskey.pem"), TestCerts.pkcs8Pem(TestCerts.ecKeys()));
        Files.writeString(
                data.resolve("other-ca.pem"),
                TestCerts.rootCa("CN=Not Allowlisted").pem());
        Screened<SourcedCa> r = FileSource.vendor(
                        List.of(combined, data.resolve("nscacert.pem")), new CertFiles(), Clock.systemUTC())
                .read();
        assertThat(r.accepted())
                .containsExactly(
                        new SourcedCa(root.cert(), "vendor:" + combined),
                        new SourcedCa(tenant.cert(), "vendor:" + combined));
        assertThat(r.rejected()).isEmpty();
    }

    @Test
    void vendorSourceReportsABrokenVendorFile() throws IOException {
        Path fake = Files.createDirectory(dir.resolve("nscacert.pem"));
        Screened<SourcedCa> r = FileSource.vendor(List.of(fake), new CertFiles(), Clock.systemUTC())
                .read();
        assertThat(r.rejected())
                .containsExactly(new Rejection("vendor:" + fake, "not a regular file (a directory); skipped"));
    }

    @Test
    void defaultVendorPathsAreChosenByOs() {
        assertThat(FileSource.vendorPaths(Os.MACOS))
                .containsExactly(
                        Path.of("/Library/Application Support/Netskope/STAgent/data/nscacert_combined.pem"),
                        Path.of("/Library/Application Support/Netskope/STAgent/data/nscacert.pem"));
        assertThat(FileSource.vendorPaths(Os.LINUX))
                .containsExactly(Path.of("/opt/netskope/stagent/data/nscacert.pem"));
        assertThat(FileSource.vendorPaths(Os.OTHER)).isEmpty();
    }
}
