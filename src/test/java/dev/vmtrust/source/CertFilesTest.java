package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Rejection;
import dev.vmtrust.trust.Screened;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CertFilesTest {
    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private final CertFiles files = new CertFiles();
    private final TestCerts.Issued root = TestCerts.rootCa("CN=Corp Root,O=Corp");

    private static Rejection only(Screened<CaCert> r) {
        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected()).hasSize(1);
        return r.rejected().get(0);
    }

    @Test
    void aPemFileYieldsItsCa() throws IOException {
        Path f = Files.writeString(dir.resolve("ca.pem"), root.pem());
        assertThat(files.read(f, "file:" + f, now).accepted()).containsExactly(root.cert());
    }

    @Test
    void derAndCrlfFilesAreRead() throws IOException {
        Path der = Files.write(dir.resolve("ca.der"), root.der());
        Path crlf = Files.writeString(dir.resolve("ca.crt"), root.pem().replace("\n", "\r\n"));
        assertThat(files.read(der, "file:" + der, now).accepted()).containsExactly(root.cert());
        assertThat(files.read(crlf, "file:" + crlf, now).accepted()).containsExactly(root.cert());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFifoIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("ca.pem");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        assertThat(only(files.read(fifo, "file:" + fifo, now)))
                .isEqualTo(new Rejection("file:" + fifo, "not a regular file (a FIFO); skipped"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aSymlinkToDevZeroIsRefusedWithoutReading() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("ca.pem"), Path.of("/dev/zero"));
        assertThat(only(files.read(link, "file:" + link, now)).reason())
                .isEqualTo("not a regular file (a character device); skipped");
    }

    @Test
    void aDirectoryAndASocketAreRefused() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("certs"));
        assertThat(only(files.read(sub, "file:" + sub, now)).reason())
                .isEqualTo("not a regular file (a directory); skipped");
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            assertThat(only(files.read(sock, "file:" + sock, now)).reason())
                    .isEqualTo("not a regular file (a socket); skipped");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void a50MbSparseFileIsRefusedFromItsSize() throws IOException {
        Path big = dir.resolve("big.pem");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024);
        }
        CertFiles neverOpens = new CertFiles(p -> {
            throw new AssertionError("opened " + p);
        });
        assertThat(only(neverOpens.read(big, "file:" + big, now)).reason())
                .isEqualTo("is 52428800 bytes, over the 1 MiB limit; skipped");
    }

    @Test
    void aFileThatGrowsWhileReadIsReadNoFurtherThanTheCap() throws IOException {
        Path f = Files.writeString(dir.resolve("ca.pem"), root.pem());
        AtomicLong served = new AtomicLong();
        CertFiles growing = new CertFiles(p -> new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'A';
            }
        });
        assertThat(only(growing.read(f, "file:" + f, now)).reason())
                .isEqualTo("grew past the 1 MiB limit while being read; skipped");
        assertThat(served.get()).isEqualTo(CertFiles.MAX_BYTES + 1);
    }

    @Test
    void anUnreadableFileIsRefusedWithTheOsReason() throws IOException {
        Path f = Files.writeString(dir.resolve("ca.pem"), root.pem());
        CertFiles denied = new CertFiles(p -> {
            throw new AccessDeniedException(p.toString());
        });
        assertThat(only(denied.read(f, "file:" + f, now)))
                .isEqualTo(new Rejection("file:" + f, "cannot read: Permission denied"));
    }

    @Test
    void aMissingFileOrDanglingSymlinkIsRefusedWithTheOsReason() throws IOException {
        Path missing = dir.resolve("nope.pem");
        Path dangling = Files.createSymbolicLink(dir.resolve("link.pem"), missing);
        assertThat(only(files.read(missing, "file:" + missing, now)).reason())
                .isEqualTo("cannot read: No such file or directory");
        assertThat(only(files.read(dangling, "file:" + dangling, now)).reason())
                .isEqualTo("cannot read: No such file or directory");
    }

    @Test
    void aSymlinkToARegularFileIsFollowed() throws IOException {
        Path f = Files.writeString(dir.resolve("real.pem"), root.pem());
        Path link = Files.createSymbolicLink(dir.resolve("link.pem"), f);
        assertThat(files.read(link, "file:" + link, now).accepted()).containsExactly(root.cert());
    }
}
