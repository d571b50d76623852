package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each distribution family gets its own anchors folder, file extension and trust tool. */
class ScriptDistroTest {
    static final CaCert A = TestCerts.rootCa("CN=Distro Root").cert();
    static final String SCRIPT = VmScript.render(CaBundle.of(List.of(A)));

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "ID={0} ID_LIKE={1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "ubuntu            | debian             | debian | usr/local/share/ca-certificates         | crt | update-ca-certificates ",
                "debian            | -                  | debian | usr/local/share/ca-certificates         | crt | update-ca-certificates ",
                "alpine            | -                  | alpine | usr/local/share/ca-certificates         | crt | update-ca-certificates ",
                "pop               | ubuntu debian      | debian | usr/local/share/ca-certificates         | crt | update-ca-certificates ",
                "fedora            | -                  | rhel   | etc/pki/ca-trust/source/anchors         | pem | update-ca-trust extract",
                "rocky             | rhel centos fedora | rhel   | etc/pki/ca-trust/source/anchors         | pem | update-ca-trust extract",
                "almalinux         | rhel centos fedora | rhel   | etc/pki/ca-trust/source/anchors         | pem | update-ca-trust extract",
                "amzn              | fedora             | rhel   | etc/pki/ca-trust/source/anchors         | pem | update-ca-trust extract",
                "ol                | fedora             | rhel   | etc/pki/ca-trust/source/anchors         | pem | update-ca-trust extract",
                "opensuse-tumbleweed | opensuse suse    | suse   | etc/pki/trust/anchors                   | pem | update-ca-certificates ",
                "sles              | suse               | suse   | etc/pki/trust/anchors                   | pem | update-ca-certificates ",
                "arch              | -                  | arch   | etc/ca-certificates/trust-source/anchors | crt | trust extract-compat",
                "manjaro           | arch               | arch   | etc/ca-certificates/trust-source/anchors | crt | trust extract-compat",
            })
    void eachFamilyUsesItsFolderAndTool(String id, String like, String family, String dir, String ext, String call)
            throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH).osRelease(id, like);

        var run = h.ssh(SCRIPT, "apply", "never");

        assertThat(run.result().ok()).as(run.stdout() + run.stderr()).isTrue();
        assertThat(run.result().distro()).contains(family);
        assertThat(Files.readString(h.root.resolve(dir).resolve("vmtrust-" + A.fp16() + "." + ext)))
                .isEqualTo(A.pem());
        assertThat(h.calls(call.split(" ")[0]).stream().map(String::strip)).containsExactly(call);
    }

    @Test
    void quotedValuesAndTheUsrLibFallbackAreRead() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH);
        Files.delete(h.root.resolve("etc/os-release"));
        Files.createDirectories(h.root.resolve("usr/lib"));
        Files.writeString(h.root.resolve("usr/lib/os-release"), "ID='fedora'\nVERSION_ID=\"40\"");

        var run = h.ssh(SCRIPT, "observe");

        assertThat(run.result().distro()).contains("rhel");
    }

    @Test
    void theArchToolMissingNamesItsPackage() throws Exception {
        ScriptHarness h = new ScriptHarness(tmp, ScriptHarness.Shell.DASH)
                .osRelease("arch", null)
                .without("trust");

        var run = h.ssh(SCRIPT, "apply", "auto");

        assertThat(run.result().error())
                .contains(new ScriptError("no-trust-tool", "trust not found; install the p11-kit package in the VM"));
    }
}
