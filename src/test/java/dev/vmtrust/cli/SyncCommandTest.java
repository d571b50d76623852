package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sync's own usage errors and the no-target and no-CA cases (VM behaviour is covered by the ITs). */
class SyncCommandTest {
    @TempDir
    Path tmp;

    private CliRun cli(boolean withCa) throws Exception {
        Path file = tmp.resolve("corp.pem");
        Files.writeString(file, withCa ? TestCerts.rootCa("CN=Corp Root,O=Corp").pem() : "");
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(file, tmp.resolve("colima"), tmp.resolve("lima")));
    }

    @Test
    void anUnknownTargetIsAUsageErrorThatSaysHowNamesLook() throws Exception {
        CliRun.Result r = cli(true).run("sync", "--target", "colima/nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("vmtrust: no target named \"colima/nope\"; names look like colima/default or "
                        + "lima/dev (see `vmtrust sync --dry-run`)\n");
    }

    @Test
    void aBadRestartPolicyIsAUsageErrorAlsoInJson() throws Exception {
        CliRun.Result r = cli(true).run("sync", "--json", "--restart", "sometimes");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out())
                .isEqualTo("{\"error\":{\"exit\":2,\"message\":\"--restart: expected auto, always or never, "
                        + "got \\\"sometimes\\\"\"}}\n");
    }

    @Test
    void withNoVmAnywhereSyncSucceedsAndSaysSo() throws Exception {
        CliRun.Result r = cli(true).run("sync");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("(1 CA)\n  no Colima profiles or Lima instances found\n");
        assertThat(cli(true).run("status").out()).contains("no Colima profiles or Lima instances found");
    }

    @Test
    void withNoCaNothingIsPushedAndSyncExits4() throws Exception {
        CliRun.Result r = cli(false).run("sync", "--json");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.out())
                .startsWith("{\"error\":{\"exit\":4,\"message\":\"no CA found: the sources yielded no corporate CA");
    }
}
