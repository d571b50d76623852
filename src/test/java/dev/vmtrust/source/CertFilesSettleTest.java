package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Screened;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A certificate file caught mid-write (truncate, then write) is read again until it is whole. */
class CertFilesSettleTest {
    static final CaCert CA = TestCerts.rootCa("CN=Settle Root,O=Corp").cert();

    @TempDir
    Path tmp;

    @Test
    void looksCutIsEmptyBlankOrABegunBlock() {
        assertThat(CertFiles.looksCut(new byte[0])).isTrue();
        assertThat(CertFiles.looksCut(" \n\r\t".getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        String pem = CA.pem();
        assertThat(CertFiles.looksCut(pem.substring(0, pem.length() / 2).getBytes(StandardCharsets.US_ASCII)))
                .isTrue();
        assertThat(CertFiles.looksCut((pem + pem.substring(0, 40)).getBytes(StandardCharsets.US_ASCII)))
                .as("a bundle cut inside its second block")
                .isTrue();
        assertThat(CertFiles.looksCut(pem.getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(CertFiles.looksCut(CA.der())).as("DER").isFalse();
        assertThat(CertFiles.looksCut("just text".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    @Test
    @Timeout(10)
    void aFileCaughtHalfWrittenIsReadOnceTheWriterIsDone() throws Exception {
        Path f = tmp.resolve("corp.pem");
        String pem = CA.pem();
        Files.writeString(f, pem.substring(0, pem.length() / 2)); // the writer's first write()
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                reading.await(5, TimeUnit.SECONDS);
                Thread.sleep(200);
                Files.writeString(f, pem); // ... and it is done
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        reading.countDown();
        Screened<CaCert> r = new CertFiles().read(f, "file:" + f, Instant.now());

        writer.get(5, TimeUnit.SECONDS);
        assertThat(r.rejected()).isEmpty();
        assertThat(r.accepted()).containsExactly(CA);
    }

    @Test
    void aCutFileNotWrittenForLongerThanTheSettleTimeIsTakenAsItIs() throws Exception {
        Path f = Files.writeString(tmp.resolve("corp.pem"), CA.pem().substring(0, 100));
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));

        long t0 = System.nanoTime();
        Screened<CaCert> r = new CertFiles().read(f, "file:" + f, Instant.now());

        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no wait").isLessThan(CertFiles.SETTLE);
    }

    @Test
    @Timeout(10)
    void aFileThatStaysCutIsRejectedAfterTheSettleTime() throws Exception {
        Path f = Files.writeString(tmp.resolve("corp.pem"), "");

        Screened<CaCert> r =
                new CertFiles(Files::newInputStream, Duration.ofMillis(300)).read(f, "file:" + f, Instant.now());

        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected()).extracting(x -> x.reason()).containsExactly("no certificate found");
    }
}
