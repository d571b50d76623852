package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.config.Config.RestartPolicy;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rendering: determinism, the marker, remote command lines, and no way in for certificate text. */
class VmScriptTest {
    static final CaCert A = TestCerts.rootCa("CN=Corp Root A,O=Corp").cert();
    static final CaCert B = TestCerts.rootCa("CN=Corp Root B,O=Corp").cert();

    @TempDir
    Path tmp;

    @Test
    void renderingIsByteForByteDeterministicWhateverTheInputOrder() {
        String one = VmScript.render(CaBundle.of(List.of(A, B)));
        String two = VmScript.render(CaBundle.of(List.of(B, A, B)));

        assertThat(one).isEqualTo(two);
    }

    @Test
    void lineOneIsTheMarkerWithTheBundleFingerprint() {
        CaBundle bundle = CaBundle.of(List.of(A, B));
        String script = VmScript.render(bundle);

        assertThat(script.lines().findFirst())
                .contains("# vmtrust: managed entry, do not edit (bundle sha256:" + bundle.fingerprint() + ")");
        assertThat(script).startsWith(VmScript.MARKER_PREFIX);
        assertThat(VmScript.markerBundle(script)).contains(bundle.fingerprint());
        assertThat(script).contains(A.pem(), B.pem()).endsWith("main \"$#\" \"$@\" </dev/null\n");
    }

    @Test
    void markerBundleIsEmptyForAnythingElse() {
        String hex = "a".repeat(64);
        assertThat(VmScript.markerBundle(VmScript.MARKER_PREFIX + hex + ")\r\nset -eu\n"))
                .contains(hex);
        assertThat(VmScript.markerBundle(VmScript.MARKER_PREFIX + hex + ")")).contains(hex);
        assertThat(VmScript.markerBundle("#!/bin/sh\n" + VmScript.MARKER_PREFIX + hex + ")\n"))
                .isEmpty();
        assertThat(VmScript.markerBundle(VmScript.MARKER_PREFIX + "A".repeat(64) + ")\n"))
                .isEmpty();
        assertThat(VmScript.markerBundle(VmScript.MARKER_PREFIX + hex + ") extra\n"))
                .isEmpty();
        assertThat(VmScript.markerBundle(VmScript.withoutCertificates())).isEmpty();
        assertThat(VmScript.markerBundle(null)).isEmpty();
    }

    @Test
    void anEmptySetIsNeverRendered() {
        assertThatThrownBy(() -> VmScript.render(CaBundle.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an empty CA set is never pushed to a VM");
    }

    @Test
    void remoteCommandLinesAreBuiltFromFixedWords() {
        assertThat(VmScript.command(VmScript.Mode.APPLY, RestartPolicy.AUTO))
                .isEqualTo("sudo -n /bin/sh -s -- apply auto");
        assertThat(VmScript.command(VmScript.Mode.APPLY, RestartPolicy.ALWAYS))
                .isEqualTo("sudo -n /bin/sh -s -- apply always");
        assertThat(VmScript.command(VmScript.Mode.APPLY, RestartPolicy.NEVER))
                .isEqualTo("sudo -n /bin/sh -s -- apply never");
        assertThat(VmScript.command(VmScript.Mode.APPLY, null)).isEqualTo("sudo -n /bin/sh -s -- apply auto");
        assertThat(VmScript.command(VmScript.Mode.OBSERVE, null)).isEqualTo("sudo -n /bin/sh -s -- observe");
        assertThat(VmScript.command(VmScript.Mode.REMOVE, RestartPolicy.ALWAYS))
                .isEqualTo("sudo -n /bin/sh -s -- remove");
        assertThat(VmScript.argv(VmScript.Mode.OBSERVE, null))
                .containsExactly("sudo", "-n", "/bin/sh", "-s", "--", "observe");
    }

    @Test
    void subjectsAreSanitizedToAPlainAlphabet() {
        assertThat(VmScript.sanitize("CN=Zscaler Root CA,O=Zscaler Inc.,E=it@corp.example"))
                .isEqualTo("CN=Zscaler Root CA,O=Zscaler Inc.,E=it@corp.example");
        assertThat(VmScript.sanitize("CN=$(x)`y`\"'\\;\n\u00e9")).isEqualTo("CN=__x__y_______");
        assertThat(VmScript.sanitize("CN=" + "x".repeat(500))).hasSize(120);
    }

    @Test
    void aHostileSubjectNeitherRunsNorAppearsOutsideASanitizedComment() throws Exception {
        Path p1 = tmp.resolve("pwned1"), p2 = tmp.resolve("pwned2");
        String cn = "$(touch " + p1 + ")`touch " + p2 + "`\\\"'";
        CaCert evil = TestCerts.rootCa("CN=" + cn + ",O=x\\;touch " + p1).cert();
        assertThat(evil.subject()).contains("$(touch", "`touch");
        String script = VmScript.render(CaBundle.of(List.of(evil, A)));

        assertThat(script).doesNotContain("$(touch", "`touch", "touch " + p1 + ")");
        String comment = script.lines()
                .filter(l -> l.contains("# " + evil.fp16()))
                .findFirst()
                .orElseThrow();
        assertThat(comment).matches("  # [0-9a-f]{16} [A-Za-z0-9 .,=_@-]*");

        ScriptHarness h = new ScriptHarness(tmp.resolve("vm"), ScriptHarness.Shell.DASH);
        var apply = h.ssh(script, "apply", "always");
        var observe = h.ssh(script, "observe");
        var boot = h.provision(script);

        assertThat(apply.result().ok()).isTrue();
        assertThat(observe.result().ok()).isTrue();
        assertThat(boot.result().unchanged()).isTrue();
        assertThat(Files.readString(h.certDir().resolve("vmtrust-" + evil.fp16() + ".crt")))
                .isEqualTo(evil.pem());
        assertThat(p1).doesNotExist();
        assertThat(p2).doesNotExist();
    }

    @Test
    void theScriptWithoutCertificatesIsSmallAndCarriesNoPem() {
        String s = VmScript.withoutCertificates();

        assertThat(s).startsWith("# vmtrust: observe and remove only (no certificates)\n");
        assertThat(s).doesNotContain("BEGIN CERTIFICATE", "@@");
        assertThat(s).contains("BUNDLE=''", "FPS=''");
    }
}
