package dev.vmtrust.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.ChildJvm;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue item 16: what vmtrust writes on the host is the user's and never group or world writable, even
 * under umask 000 (so the modes are set, not left to the umask); a YAML backup keeps the original's mode.
 */
class HostFileModesTest {
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    @TempDir
    Path tmp;

    @Test
    void stateFolderStateFilesAndYamlBackupsAreNotWritableByOthersUnderUmask000() throws Exception {
        TestCerts.Issued corp = TestCerts.rootCa("CN=Corp Root,O=Corp");
        Path caFile = Files.writeString(tmp.resolve("corp.pem"), corp.pem());
        Path yaml = tmp.resolve("colima/default/colima.yaml");
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "cpu: 2\nprovision: []\n");
        Files.setPosixFilePermissions(yaml, PosixFilePermissions.fromString("rw-r-----"));
        Path config = Files.writeString(
                tmp.resolve("config.yaml"), """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, tmp.resolve("colima"), tmp.resolve("lima")));
        Path state = tmp.resolve("state");
        Map<String, String> env = Map.of(
                "HOME",
                tmp.resolve("home").toString(),
                "XDG_STATE_HOME",
                state.toString(),
                "VMTRUST_CONFIG",
                config.toString());

        CliRun.Result r = ChildJvm.run(ChildJvm.umask("000"), null, env, tmp, "sync");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Path dir = state.resolve("vmtrust");
        String user = Files.getOwner(tmp).getName();
        for (Path p : List.of(
                dir,
                dir.resolve("status.json"),
                dir.resolve("ca-set.pem"),
                dir.resolve("bundle.pem"),
                dir.resolve("lock"))) {
            assertThat(Files.getOwner(p).getName()).as("owner of " + p).isEqualTo(user);
            assertThat(Files.getPosixFilePermissions(p))
                    .as("mode of " + p)
                    .doesNotContainAnyElementsOf(WRITABLE_BY_OTHERS);
        }
        assertThat(Files.readString(yaml)).contains("# vmtrust: managed entry");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(yaml)))
                .isEqualTo("rw-r-----");
        Path backup = yaml.resolveSibling("colima.yaml.vmtrust.bak");
        assertThat(Files.readString(backup)).isEqualTo("cpu: 2\nprovision: []\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
                .isEqualTo("rw-r-----");
        try (var files = Files.list(yaml.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temp file left")
                    .containsExactlyInAnyOrder("colima.yaml", "colima.yaml.vmtrust.bak");
        }
    }
}
