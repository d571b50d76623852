package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script on a Debian-family root: install, idempotence, rotation, ownership, failures. */
class ScriptInstallTest {
    static final CaCert A = TestCerts.rootCa("CN=Corp Root A,O=Corp").cert();
    static final CaCert B = TestCerts.rootCa("CN=Corp Root B,O=Corp").cert();
    static final CaCert C = TestCerts.rootCa("CN=Corp Root C,O=Corp").cert();

    @TempDir
    Path tmp;

    ScriptHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
    }

    static String script(CaCert... certs) {
        return VmScript.render(CaBundle.of(List.of(certs)));
    }

    static String hex(CaCert... certs) {
        return CaBundle.of(List.of(certs)).fingerprint();
    }

    Path file(CaCert c) {
        return h.certDir().resolve("vmtrust-" + c.fp16() + ".crt");
    }

    @Test
    void aFreshInstallWritesEachPemThenTheTrustUpdateOnceThenTheStamp() throws Exception {
        var run = h.ssh(script(A, B), "apply", "auto");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result().ok()).isTrue();
        assertThat(run.result().distro()).contains("debian");
        assertThat(run.result().added()).containsExactlyInAnyOrder(A.fp16(), B.fp16());
        assertThat(run.result().trustUpdated()).isTrue();
        assertThat(run.result().done()).contains(hex(A, B));
        assertThat(Files.readString(file(A))).isEqualTo(A.pem());
        assertThat(Files.readString(file(B))).isEqualTo(B.pem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file(A))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(h.stamp())).isEqualTo(hex(A, B) + "\n");
        assertThat(h.calls("update-ca-certificates")).containsExactly("update-ca-certificates ");
        assertThat(run.stdout().lines()).allMatch(l -> l.startsWith("vmtrust: "));
        assertThat(run.stderr()).contains("Updating certificates (stand-in)");
        try (Stream<Path> s = Files.list(h.certDir())) {
            assertThat(s).hasSize(2);
        }
    }

    @Test
    void aSecondRunWithTheSameSetWritesNothingAndRunsNoTool() throws Exception {
        h.ssh(script(A), "apply", "auto");
        FileTime old = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file(A), old);
        Files.setLastModifiedTime(h.stamp(), old);
        h.clearCalls();

        var run = h.ssh(script(A), "apply", "auto");

        assertThat(run.result().ok()).isTrue();
        assertThat(run.result().unchanged()).isTrue();
        assertThat(run.result().storeChanged()).isFalse();
        assertThat(run.stdout())
                .isEqualTo("vmtrust: distro debian\nvmtrust: unchanged\nvmtrust: done " + hex(A) + "\n");
        assertThat(h.calls()).isEmpty();
        assertThat(Files.getLastModifiedTime(file(A))).isEqualTo(old);
        assertThat(Files.getLastModifiedTime(h.stamp())).isEqualTo(old);
    }

    @Test
    void rotationRemovesTheOldFileAddsTheNewOneAndUpdatesTheStamp() throws Exception {
        h.ssh(script(A), "apply", "auto");
        h.clearCalls();

        var run = h.ssh(script(B), "apply", "auto");

        assertThat(run.result().added()).containsExactly(B.fp16());
        assertThat(run.result().removed()).containsExactly(A.fp16());
        assertThat(file(A)).doesNotExist();
        assertThat(Files.readString(file(B))).isEqualTo(B.pem());
        assertThat(Files.readString(h.stamp())).isEqualTo(hex(B) + "\n");
        assertThat(h.calls("update-ca-certificates")).containsExactly("update-ca-certificates ");
    }

    @Test
    void filesThatAreNotOwnedAreNeverTouched() throws Exception {
        Files.createDirectories(h.certDir());
        List<String> foreign = List.of(
                "other.crt",
                "vmtrust.txt",
                "vmtrust-notes.crt",
                "vmtrust-0123456789abcdef.pem",
                "vmtrust-0123456789ABCDEF.crt",
                "vmtrust-0123456789abcde.crt");
        for (String f : foreign) Files.writeString(h.certDir().resolve(f), "keep " + f);

        h.ssh(script(A), "apply", "auto");
        h.ssh(script(B), "apply", "auto");
        h.ssh(script(B), "remove");

        for (String f : foreign) assertThat(h.certDir().resolve(f)).hasContent("keep " + f);
        assertThat(file(A)).doesNotExist();
        assertThat(file(B)).doesNotExist();
    }

    @Test
    void aFileWithTheRightNameButOtherContentIsRepairedWhenTheStampDoesNotVouchForIt() throws Exception {
        h.ssh(script(A), "apply", "auto");
        Files.writeString(file(A), "tampered\n");
        Files.delete(h.stamp());

        var observed = h.ssh(script(A), "observe");
        var run = h.ssh(script(A), "apply", "auto");

        assertThat(observed.result().differs()).containsExactly(A.fp16());
        assertThat(run.result().repaired()).containsExactly(A.fp16());
        assertThat(run.result().trustUpdated()).isTrue();
        assertThat(file(A)).hasContent(A.pem().strip());
        assertThat(Files.readString(file(A))).isEqualTo(A.pem());
    }

    @Test
    void anUnknownDistroFailsNamingIdAndIdLike() throws Exception {
        h.osRelease("plan9", "bell labs");

        var run = h.ssh(script(A), "apply", "auto");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("unknown-distro");
        assertThat(run.result().error().get().message()).contains("ID=plan9 ID_LIKE=bell labs");
        assertThat(run.stderr()).contains("unsupported Linux distribution (ID=plan9 ID_LIKE=bell labs)");
        assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
    }

    @Test
    void aMissingTrustToolFailsBeforeAnythingIsWritten() throws Exception {
        h.without("update-ca-certificates");

        var run = h.ssh(script(A), "apply", "auto");

        assertThat(run.result().error())
                .contains(new ScriptError(
                        "no-trust-tool",
                        "update-ca-certificates not found; install the ca-certificates package in the VM"));
        assertThat(h.certDir()).doesNotExist();
    }

    @Test
    void aTargetFolderThatCannotBeCreatedIsAWriteFailure() throws Exception {
        Files.createDirectories(h.certDir().getParent());
        Files.writeString(h.certDir(), "a regular file where the folder should be");

        var run = h.ssh(script(A), "apply", "auto");

        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("write-failed");
        assertThat(h.stamp()).doesNotExist();
        assertThat(h.calls()).isEmpty();
    }

    @Test
    void aWriteFailureMidwayLeavesThePreviousFilesAndStampAsTheyWere() throws Exception {
        h.ssh(script(A), "apply", "auto");
        h.clearCalls();
        // A folder where C's temp file goes: writing it fails even for root.
        Files.createDirectories(h.certDir().resolve("vmtrust-" + C.fp16() + ".tmp/x"));

        var run = h.ssh(script(B, C), "apply", "auto");

        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("write-failed");
        assertThat(run.result().error().get().message()).endsWith("the previous certificates are unchanged");
        assertThat(Files.readString(file(A))).isEqualTo(A.pem());
        assertThat(file(B)).doesNotExist();
        assertThat(h.certDir().resolve("vmtrust-" + B.fp16() + ".tmp")).doesNotExist();
        assertThat(Files.readString(h.stamp())).isEqualTo(hex(A) + "\n");
        assertThat(h.calls()).isEmpty();
    }

    @Test
    void aFailingTrustUpdateLeavesNoStampAndTheNextRunConverges() throws Exception {
        h.set("trust-fail", "");
        var failed = h.ssh(script(A), "apply", "auto");
        h.set("trust-fail", null);
        h.clearCalls();
        var next = h.ssh(script(A), "apply", "auto");

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.result().error())
                .contains(new ScriptError(
                        "trust-update-failed",
                        "update-ca-certificates failed (exit 1); the stamp was not written, the next run retries"));
        assertThat(failed.stderr()).contains("stand-in trust failure");
        assertThat(failed.result().added()).containsExactly(A.fp16());
        assertThat(next.result().ok()).isTrue();
        assertThat(next.result().added()).isEmpty();
        assertThat(next.result().trustUpdated()).isTrue();
        assertThat(h.calls("update-ca-certificates")).containsExactly("update-ca-certificates ");
        assertThat(Files.readString(h.stamp())).isEqualTo(hex(A) + "\n");
    }

    @Test
    void aRunKilledAfterTheFilesButBeforeTheStampIsRedoneByTheNextRun() throws Exception {
        h.ssh(script(A, B), "apply", "auto");
        Files.delete(h.stamp());
        Files.writeString(h.certDir().resolve("vmtrust-" + C.fp16() + ".tmp"), "-----BEGIN CERT");
        h.clearCalls();

        var run = h.ssh(script(A, B), "apply", "auto");

        assertThat(run.result().unchanged()).isFalse();
        assertThat(run.result().added()).isEmpty();
        assertThat(run.result().trustUpdated()).isTrue();
        assertThat(h.calls("update-ca-certificates")).containsExactly("update-ca-certificates ");
        assertThat(h.stamp()).hasContent(hex(A, B));
        assertThat(h.certDir().resolve("vmtrust-" + C.fp16() + ".tmp")).doesNotExist();
    }

    @Test
    void provisionModeInstallsTheSetFromAScriptFileWithNoArguments() throws Exception {
        var run = h.provision(script(A));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result().added()).containsExactly(A.fp16());
        assertThat(run.result().engines()).isEmpty();
        assertThat(h.stamp()).hasContent(hex(A));
    }

    @Test
    void observeReportsStampFilesEnginesAndPendingWithoutWriting() throws Exception {
        h.ssh(script(A, B), "apply", "auto");
        Files.writeString(h.pendingFile(), "docker\n");
        h.systemd().set("active-docker", "").set("active-containerd", "");
        h.clearCalls();

        var run = h.ssh(VmScript.withoutCertificates(), "observe");

        assertThat(run.result().ok()).isTrue();
        assertThat(run.result().stamp()).contains(hex(A, B));
        assertThat(run.result().files()).containsExactlyInAnyOrder(A.fp16(), B.fp16());
        assertThat(run.result().engines()).containsExactly("containerd", "docker");
        assertThat(run.result().restartPendingRecorded()).containsExactly("docker");
        assertThat(h.calls()).noneMatch(c -> c.startsWith("update-ca") || c.contains("restart"));
    }

    @Test
    void observeOnAnEmptyVmSaysStampNone() throws Exception {
        var run = h.ssh(script(A), "observe");

        assertThat(run.stdout())
                .isEqualTo("vmtrust: distro debian\nvmtrust: stamp none\nvmtrust: engines none\nvmtrust: done none\n");
        assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
    }

    @Test
    void removeDeletesOwnedFilesStampAndStateThenUpdatesTrust() throws Exception {
        h.ssh(script(A, B), "apply", "auto");
        Files.writeString(h.pendingFile(), "docker\n");
        h.clearCalls();

        var run = h.ssh(VmScript.withoutCertificates(), "remove");
        var again = h.ssh(VmScript.withoutCertificates(), "remove");

        assertThat(run.result().ok()).isTrue();
        assertThat(run.result().removed()).containsExactlyInAnyOrder(A.fp16(), B.fp16());
        assertThat(run.result().done()).contains("none");
        assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
        try (Stream<Path> s = Files.list(h.certDir())) {
            assertThat(s).isEmpty();
        }
        assertThat(again.result().unchanged()).isTrue();
        assertThat(h.calls("update-ca-certificates")).containsExactly("update-ca-certificates ");
    }

    @Test
    void theScriptWithoutCertificatesRefusesToApply() throws Exception {
        var run = h.ssh(VmScript.withoutCertificates(), "apply", "auto");

        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("no-certificates");
    }

    @Test
    void badArgumentsAreAUsageError() throws Exception {
        var run = h.ssh(script(A), "apply", "sometimes");
        var none = h.ssh(script(A), "frobnicate");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.result().error()).get().extracting(ScriptError::code).isEqualTo("usage");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(h.root.resolve("etc/vmtrust")).doesNotExist();
    }
}
