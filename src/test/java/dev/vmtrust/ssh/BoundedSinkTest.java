package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedSinkTest {

    @Test
    void outputWithinTheHeadIsKeptWhole() {
        BoundedSink s = new BoundedSink(new OutputBudget(1 << 20), 16, 8);
        s.write("hello\n".getBytes(StandardCharsets.UTF_8), 0, 6);
        assertThat(s.text()).isEqualTo("hello\n");
        assertThat(s.dropped()).isZero();
    }

    @Test
    void theMiddleIsDroppedWithAMarkerAndHeadAndTailAreKept() {
        BoundedSink s = new BoundedSink(new OutputBudget(1 << 20), 4, 3);
        for (byte b : "0123456789".getBytes(StandardCharsets.US_ASCII)) s.write(b);
        s.write("abcdefgh".getBytes(StandardCharsets.US_ASCII), 2, 5); // cdefg
        assertThat(s.text()).isEqualTo("0123\n[vmtrust: 8 bytes dropped]\nefg");
        assertThat(s.dropped()).isEqualTo(8);
        assertThat(s.total()).isEqualTo(15);
    }

    @Test
    void oneBudgetIsSharedSoThatManyStreamsTogetherKeepNoMoreThanIt() {
        OutputBudget budget = new OutputBudget(10_000);
        BoundedSink[] sinks = new BoundedSink[6];
        byte[] chunk = new byte[1 << 16];
        for (int i = 0; i < sinks.length; i++) {
            sinks[i] = new BoundedSink(budget, 8192, 4096);
            for (int k = 0; k < 100; k++) sinks[i].write(chunk, 0, chunk.length); // 6.5 MB each
        }
        assertThat(budget.left()).isBetween(0L, 10_000L);
        long kept = 0;
        for (BoundedSink s : sinks) kept += s.total() - s.dropped();
        assertThat(kept).isLessThanOrEqualTo(10_000);
        assertThat(sinks[5].dropped()).as("the last one got nothing").isEqualTo(100L << 16);
        for (BoundedSink s : sinks) s.release();
        assertThat(budget.left()).isEqualTo(10_000);
    }

    @Test
    void textIsStreamedAsUtf8WithoutSplittingACharacter() throws Exception {
        String text = "x".repeat(8191) + "\uD83D\uDE00" + "é".repeat(20_000);
        try (InputStream in = new TextInputStream(text)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }
}
