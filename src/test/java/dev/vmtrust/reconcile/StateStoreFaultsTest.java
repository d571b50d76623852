package dev.vmtrust.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.AtomicFiles;
import dev.vmtrust.platform.FaultyDisk;
import dev.vmtrust.platform.FaultyDisk.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state folder on a failing disk (FaultyDisk): a failed write leaves the last status.json, ca-set.pem and
 * bundle.pem whole (host tools keep a bundle they can use), no temp file stays, and the next write works.
 */
class StateStoreFaultsTest {
    private static final Report FIRST = new Report(Instant.parse("2026-01-01T00:00:00Z"), "sha256:aaaa", 1, List.of());
    private static final Report SECOND = new Report(Instant.parse("2026-01-02T00:00:00Z"), "sha256:bbbb", 2, List.of());
    private static final String CA1 = "-----BEGIN CERTIFICATE-----\nONE\n-----END CERTIFICATE-----\n";
    private static final String CA2 = "-----BEGIN CERTIFICATE-----\nTWO, a longer one\n-----END CERTIFICATE-----\n";
    private static final String ROOTS = "-----BEGIN CERTIFICATE-----\nROOT\n-----END CERTIFICATE-----\n";

    @TempDir
    Path tmp;

    Path dir;
    final FaultyDisk disk = new FaultyDisk();
    StateStore faulty;

    @BeforeEach
    void aStateFolderFromAnEarlierSync() throws IOException {
        dir = tmp.resolve("state/vmtrust");
        StateStore healthy = new StateStore(dir);
        healthy.writeReport(FIRST);
        healthy.writeBundles(CA1, ROOTS);
        faulty = new StateStore(dir, new AtomicFiles(disk));
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("create", (Consumer<FaultyDisk>) d -> d.failOn(Call.CREATE)),
                Arguments.of("write", (Consumer<FaultyDisk>) d -> d.failOn(Call.WRITE)),
                Arguments.of("chmod", (Consumer<FaultyDisk>) d -> d.failOn(Call.CHMOD)),
                Arguments.of("fsync", (Consumer<FaultyDisk>) d -> d.failOn(Call.FORCE)),
                Arguments.of("rename", (Consumer<FaultyDisk>) d -> d.failOn(Call.MOVE)),
                Arguments.of("full disk", (Consumer<FaultyDisk>) d -> d.diskFullAfter(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFailedReportWriteKeepsTheLastReport(String what, Consumer<FaultyDisk> fault) throws Exception {
        byte[] before = Files.readAllBytes(dir.resolve(StateStore.STATUS));
        fault.accept(disk);

        assertThatThrownBy(() -> faulty.writeReport(SECOND)).isInstanceOf(IOException.class);

        assertThat(Files.readAllBytes(dir.resolve(StateStore.STATUS))).isEqualTo(before);
        assertThat(faulty.readReport()).contains(FIRST);
        assertOnlyStateFiles();
        disk.heal();
        faulty.writeReport(SECOND);
        assertThat(faulty.readReport()).contains(SECOND);
        assertOnlyStateFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFailedBundleWriteKeepsTheLastBundles(String what, Consumer<FaultyDisk> fault) throws Exception {
        fault.accept(disk);

        assertThatThrownBy(() -> faulty.writeBundles(CA2, ROOTS)).isInstanceOf(IOException.class);

        assertThat(Files.readString(faulty.caSetFile())).isEqualTo(CA1);
        assertThat(Files.readString(faulty.bundleFile())).isEqualTo(ROOTS + CA1);
        assertOnlyStateFiles();
    }

    @Test
    void aDiskThatFillsBetweenTheTwoBundlesLeavesEachFileWhole() throws Exception {
        disk.diskFullAfter(CA2.length() + 5);

        assertThatThrownBy(() -> faulty.writeBundles(CA2, ROOTS)).hasMessage("No space left on device");

        // each file is replaced atomically, the pair is not: the set is new, the bundle is the last whole one
        assertThat(Files.readString(faulty.caSetFile())).isEqualTo(CA2);
        assertThat(Files.readString(faulty.bundleFile())).isEqualTo(ROOTS + CA1);
        assertOnlyStateFiles();
        disk.heal();
        faulty.writeBundles(CA2, ROOTS);
        assertThat(Files.readString(faulty.bundleFile())).isEqualTo(ROOTS + CA2);
    }

    @Test
    void unchangedContentIsNotWrittenSoABrokenDiskDoesNotFailIt() throws Exception {
        disk.failOn(Call.CREATE);

        faulty.writeBundles(CA1, ROOTS);
        faulty.writeReport(FIRST);

        assertThat(disk.calls()).isEmpty();
    }

    private void assertOnlyStateFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(StateStore.STATUS, StateStore.CA_SET, StateStore.BUNDLE);
        }
    }
}
