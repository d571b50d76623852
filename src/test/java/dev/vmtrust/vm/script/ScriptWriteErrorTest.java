package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails says why (the tool's own words), and the distro is reported by its own ID. */
class ScriptWriteErrorTest {
    private static final String SA = ScriptShellTest.SA;

    @TempDir
    Path tmp;

    @Test
    void aCertificateFolderThatCannotBeCreatedIsReportedWithTheReason() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
        Files.createDirectories(h.certDir().getParent());
        Files.writeString(h.certDir(), "a file where the folder should be\n");

        var run = h.ssh(SA, "apply", "auto");

        ScriptError err = run.result().error().orElseThrow();
        assertThat(err.code()).isEqualTo("write-failed");
        assertThat(err.message())
                .startsWith("cannot create " + h.certDir() + ": ")
                .contains("mkdir: ", "File exists");
        assertThat(err.message()).doesNotContain("\n");
    }

    @Test
    void aStampThatCannotBeWrittenIsReportedWithTheReason() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
        Files.createDirectories(h.root.resolve("etc/vmtrust/bundle.sha256.tmp/blocker"));

        var run = h.ssh(SA, "apply", "auto");

        ScriptError err = run.result().error().orElseThrow();
        assertThat(err.code()).isEqualTo("write-failed");
        assertThat(err.message()).startsWith("cannot write " + h.stamp() + ": ").contains("Is a directory");
    }

    @Test
    void alpineIsReportedAsAlpineAndUsesTheDebianLayout() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).osRelease("alpine", null);

        var run = h.ssh(SA, "apply", "never");

        assertThat(run.stdout()).startsWith("vmtrust: distro alpine\n");
        assertThat(run.result().distro()).contains("alpine");
        assertThat(h.certDir().resolve("vmtrust-" + ScriptShellTest.A.fp16() + ".crt"))
                .exists();
    }
}
