package dev.vmtrust.vm.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The links the script makes in /etc/ssl/certs on Debian so that update-ca-certificates has no name change to
 * react to (no orphan scan, no rehash of the whole folder): after every step the folder must be exactly what
 * the tool and {@code openssl rehash} would have made. Checked against the real {@code openssl rehash}, with a
 * public root of the same subject as the corporate CA (a rotated Zscaler root keeps its name), so the hash
 * chain has two members and a removal must not leave a gap.
 */
class ScriptLinksTest {
    static final String SUBJECT = "CN=Corp Root,O=Corp";
    static final CaCert A = TestCerts.rootCa(SUBJECT).cert();
    static final CaCert A2 = TestCerts.rootCa(SUBJECT).cert(); // the rotation: same name, new key
    static final CaCert B = TestCerts.rootCa("CN=Other Root,O=Corp").cert();
    static final CaCert PUBLIC = TestCerts.rootCa(SUBJECT).cert(); // a distro root that shares the name

    @TempDir
    Path tmp;

    ScriptHarness h;
    Path links;

    /** A VM root with one public root of the corporate CA's subject, linked and hashed by openssl rehash. */
    void setUp(ScriptHarness.Shell shell) throws Exception {
        // no openssl or readlink on the script's PATH: the links are made with shell builtins
        h = new ScriptHarness(Files.createDirectories(tmp.resolve(shell.name())), shell);
        Path share = Files.createDirectories(h.root.resolve("usr/share/ca-certificates/mozilla"));
        Files.writeString(share.resolve("Public_Root.crt"), PUBLIC.pem());
        links = Files.createDirectories(h.root.resolve("etc/ssl/certs"));
        Files.createSymbolicLink(links.resolve("Public_Root.pem"), share.resolve("Public_Root.crt"));
        rehash();
        Files.createDirectories(h.root.resolve("etc/ca-certificates/update.d"));
    }

    static String script(CaCert... certs) {
        return VmScript.render(CaBundle.of(List.of(certs)));
    }

    @ParameterizedTest
    @EnumSource(ScriptHarness.Shell.class)
    void addRotateAndRemoveLeaveTheFolderAsTheToolAndOpensslRehashWouldWithoutAGapInTheChain(ScriptHarness.Shell shell)
            throws Exception {
        Assumptions.assumeTrue(shell.installed() || shell == ScriptHarness.Shell.DASH, shell + " is not installed");
        setUp(shell);
        apply(script(A, B));
        assertThat(links.resolve("vmtrust-" + A.fp16() + ".pem"))
                .isSymbolicLink()
                .satisfies(l -> assertThat(Files.readSymbolicLink(l))
                        .isEqualTo(h.certDir().resolve("vmtrust-" + A.fp16() + ".crt")));
        assertSameAsRehash("after the first sync");

        // A rotates to A2 (same subject, so the same hash as A and the public root): both are trusted for a
        // while, as IT departments roll a new root out...
        apply(script(A, A2, B));
        assertThat(chains().get(hashOf(A))).hasSize(3);
        assertSameAsRehash("with the old and the new root");
        apply(script(A2, B)); // ...then the old one leaves the middle of the chain
        assertThat(links.resolve("vmtrust-" + A.fp16() + ".pem")).doesNotExist();
        assertThat(chains().get(hashOf(A))).hasSize(2);
        assertSameAsRehash("after the old root left the middle of the chain");

        apply(script(A, B)); // a rotation in one step: one out, one in, on the same hash
        assertSameAsRehash("after a rotation in one step");

        apply(script(B)); // only a removal
        assertSameAsRehash("after a removal");

        var removed = h.ssh(script(B), "remove");
        assertThat(removed.exit()).as(removed.stderr()).isZero();
        assertThat(names()).noneMatch(n -> n.startsWith("vmtrust-"));
        assertSameAsRehash("after remove");
    }

    /**
     * While the tool rebuilds the bundle, the new CA has its name link (so the tool sees no new name) but no hash
     * link yet: it is not found by hash before the bundle holds it (and the old one is gone from both then).
     * A failed tool run leaves the hash link to the next run.
     */
    @Test
    void theNewCasHashLinkComesAfterTheToolAndARunAfterAFailedOneMakesIt() throws Exception {
        setUp(ScriptHarness.Shell.DASH);
        Path seen = h.cfg.resolve("seen-by-tool");
        Files.writeString(
                h.bin.resolve("update-ca-certificates"),
                "#!/bin/sh\nfor f in \"$VMTRUST_ROOT\"/etc/ssl/certs/*; do echo \"${f##*/}\"; done > " + seen + "\n"
                        + "if [ -f \"$STANDIN_CFG/trust-fail\" ]; then exit 1; fi\n");
        String hash = hashOf(A);

        h.set("trust-fail", "");
        var failed = h.ssh(script(A), "apply", "never");
        assertThat(failed.exit()).isNotZero();
        assertThat(Files.readAllLines(seen))
                .contains("vmtrust-" + A.fp16() + ".pem")
                .doesNotContain(hash + ".1");
        assertThat(chains().get(hash)).as("only the public root's").hasSize(1);

        h.set("trust-fail", null);
        apply(script(A));
        assertThat(chains().get(hash)).hasSize(2);
        assertSameAsRehash("after the run that followed a failed one");
    }

    @Test
    void withAHookTheToolMakesTheLinksItselfSoTheHookHearsOfTheChange() throws Exception {
        setUp(ScriptHarness.Shell.DASH);
        Files.writeString(h.root.resolve("etc/ca-certificates/update.d/jks-keystore"), "#!/bin/sh\n");

        apply(script(A));

        assertThat(names()).noneMatch(n -> n.startsWith("vmtrust-"));
    }

    private void apply(String script) throws Exception {
        var run = h.ssh(script, "apply", "never");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("rehashes instead");
    }

    /** The folder's hash links as hash -> the certificates they lead to (order within a chain is free). */
    private Map<String, Set<String>> chains() throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        Map<String, Integer> length = new TreeMap<>();
        for (String n : names()) {
            if (!n.matches("[0-9a-f]{8}\\.[0-9]+")) continue;
            String hash = n.substring(0, 8);
            out.computeIfAbsent(hash, k -> new TreeSet<>())
                    .add(Files.readSymbolicLink(links.resolve(n)).toString());
            length.merge(hash, 1, Integer::sum);
        }
        // no gap: OpenSSL's lookup stops at the first missing index
        length.forEach((hash, n) -> {
            for (int i = 0; i < n; i++)
                assertThat(links.resolve(hash + "." + i)).as("chain " + hash).isSymbolicLink();
        });
        return out;
    }

    private void assertSameAsRehash(String when) throws Exception {
        Map<String, Set<String>> ours = chains();
        Set<String> before = new TreeSet<>(names());
        rehash();
        assertThat(ours).as(when + ": hash links").isEqualTo(chains());
        assertThat(new TreeSet<>(names())).as(when + ": names").isEqualTo(before);
    }

    private Set<String> names() throws Exception {
        try (Stream<Path> s = Files.list(links)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private String hashOf(CaCert c) throws Exception {
        Path pem = Files.writeString(tmp.resolve("hash-" + c.fp16() + ".pem"), c.pem());
        Process p = new ProcessBuilder("openssl", "x509", "-hash", "-noout", "-in", pem.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private void rehash() throws Exception {
        Process p = new ProcessBuilder("openssl", "rehash", links.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
