package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvCommandTest {
    @TempDir
    Path tmp;

    private CliRun cliWithCa() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path file = Files.writeString(tmp.resolve("corp.pem"), corp.pem());
        Path roots = Files.writeString(
                tmp.resolve("roots.pem"), TestCerts.rootCa("CN=Public Root").pem());
        return new CliRun(tmp.resolve("run it's")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: %s}
                """.formatted(file, roots));
    }

    @Test
    void shExportsPointAtFilesThatExistAndAPosixShellReadsThem() throws Exception {
        CliRun cli = cliWithCa();
        CliRun.Result r = cli.run("env");
        assertThat(r.exit()).as(r.err()).isZero();
        Path state = cli.stateDir();
        String bundle = state.resolve("bundle.pem").toString();
        assertThat(r.out())
                .isEqualTo(String.join(
                        "\n",
                        "export SSL_CERT_FILE='" + bundle.replace("'", "'\\''") + "'",
                        "export REQUESTS_CA_BUNDLE='" + bundle.replace("'", "'\\''") + "'",
                        "export CURL_CA_BUNDLE='" + bundle.replace("'", "'\\''") + "'",
                        "export GIT_SSL_CAINFO='" + bundle.replace("'", "'\\''") + "'",
                        "export AWS_CA_BUNDLE='" + bundle.replace("'", "'\\''") + "'",
                        "export PIP_CERT='" + bundle.replace("'", "'\\''") + "'",
                        "export NODE_EXTRA_CA_CERTS='"
                                + state.resolve("ca-set.pem").toString().replace("'", "'\\''") + "'",
                        "export UV_NATIVE_TLS='true'",
                        ""));
        Process p = new ProcessBuilder(
                        "sh",
                        "-c",
                        r.out() + "\ntest -s \"$SSL_CERT_FILE\" && test -s \"$NODE_EXTRA_CA_CERTS\""
                                + " && printf '%s|%s' \"$SSL_CERT_FILE\" \"$UV_NATIVE_TLS\"")
                .start();
        assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo(bundle + "|true");
        assertThat(p.waitFor()).isZero();
        String full = Files.readString(state.resolve("bundle.pem"));
        assertThat(full)
                .startsWith(Files.readString(tmp.resolve("roots.pem")).strip().substring(0, 27))
                .endsWith(Files.readString(state.resolve("ca-set.pem")));
        assertThat(Files.getPosixFilePermissions(state.resolve("bundle.pem")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void fishSyntaxIsParsedByFish() throws Exception {
        CliRun cli = cliWithCa();
        CliRun.Result r = cli.run("env", "--shell", "fish");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("set -gx SSL_CERT_FILE '").contains("set -gx UV_NATIVE_TLS 'true';");
        Path fish = dev.vmtrust.testing.Require.tool("parsing the output with fish", "/usr/bin/fish");
        Process p = new ProcessBuilder(fish.toString(), "-c", r.out() + "\nprintf '%s' $SSL_CERT_FILE").start();
        assertThat(new String(p.getInputStream().readAllBytes()))
                .isEqualTo(cli.stateDir().resolve("bundle.pem").toString());
    }

    @Test
    void withNoCaItPrintsNothingOnStdoutAndExits4() {
        CliRun.Result r = new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, publicRoots: none}
                """).run("env");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("vmtrust: no CA found");
    }

    @Test
    void exportPrintsTheCaSetOrTheFullBundle() throws Exception {
        CliRun cli = cliWithCa();
        CliRun.Result set = cli.run("export");
        CliRun.Result full = cli.run("export", "--full");
        assertThat(set.exit()).isZero();
        assertThat(set.out()).isEqualTo(Files.readString(cli.stateDir().resolve("ca-set.pem")));
        assertThat(full.out())
                .isEqualTo(Files.readString(cli.stateDir().resolve("bundle.pem")))
                .endsWith(set.out());
        Path out = tmp.resolve("out/ca.pem");
        assertThat(cli.run("export", "--out", out.toString()).exit()).isZero();
        assertThat(Files.readString(out)).isEqualTo(set.out());
        assertThat(List.of(set.out().split("-----BEGIN CERTIFICATE-----"))).hasSize(2);
    }
}
