package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.Screened;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue item 17: next to the allowlisted vendor files sit the vendor's private files, here as FIFOs (an
 * open would block forever). Only allowlisted names are ever opened, so reading never hangs.
 */
class VendorFifoTest {
    @TempDir
    Path tmp;

    @Test
    void privateVendorFilesBesideTheAllowlistAreNeverOpened() throws Exception {
        TestCerts.Issued root = TestCerts.rootCa("CN=Netskope certadmin,O=Netskope");
        Path data = Files.createDirectories(tmp.resolve("Netskope/STAgent/data"));
        List<Path> allowlist = FileSource.vendorPaths(Os.MACOS).stream()
                .map(p -> data.resolve(p.getFileName().toString()))
                .toList();
        Path combined = Files.writeString(allowlist.get(0), root.pem());
        for (String name : List.of("npaccesskey.pem", "authtoken.pem", "nsbranding.p12")) {
            Process p = new ProcessBuilder("mkfifo", data.resolve(name).toString()).start();
            assertThat(p.waitFor()).isZero();
        }
        List<Path> opened = new CopyOnWriteArrayList<>();
        CertFiles recording = new CertFiles(path -> {
            opened.add(path);
            return Files.newInputStream(path);
        });

        Screened<SourcedCa> r = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> FileSource.vendor(allowlist, recording, Clock.systemUTC()).read());

        assertThat(allowlist)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("nscacert_combined.pem", "nscacert.pem");
        assertThat(opened).containsExactly(combined);
        assertThat(r.accepted()).containsExactly(new SourcedCa(root.cert(), "vendor:" + combined));
        assertThat(r.rejected()).isEmpty();
    }
}
