package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 7 and 8 through the command line: writes never go through a link to somewhere else, never
 * change the mode of a folder vmtrust did not create, leave a read-only colima.yaml alone, and say when a
 * user's edit of vmtrust's entry was replaced (keeping it).
 */
class LinksAndModesCliTest {
    private static final String YAML = "cpu: 2\nprovision: []\n";

    @TempDir
    Path tmp;

    private Path yaml() {
        return tmp.resolve("colima/default/colima.yaml");
    }

    private CliRun cli() throws Exception {
        Files.createDirectories(yaml().getParent());
        Files.writeString(yaml(), YAML);
        Files.setLastModifiedTime(yaml(), FileTime.fromMillis(1_000_000_000_000L));
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, tmp.resolve("colima"), tmp.resolve("lima")));
    }

    @Test
    void aStateFolderLinkedToASharedFolderIsRefusedAndItsModeKept() throws Exception {
        CliRun cli = cli();
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(cli.stateDir().getParent());
        Files.createSymbolicLink(cli.stateDir(), shared);

        CliRun.Result r = cli.run("sync");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("vmtrust: " + cli.stateDir() + ": the state folder is writable by other users"
                        + " (rwxrwxrwx); vmtrust will not use it or change its mode: if it is yours alone, run chmod go-w "
                        + cli.stateDir() + "; else set XDG_STATE_HOME to a folder of your own\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
                .isEqualTo("rwxrwxrwx");
        try (var files = Files.list(shared)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aLockThatIsALinkOrAFifoIsRefusedAndNothingIsCreatedAtItsTarget() throws Exception {
        CliRun cli = cli();
        Files.createDirectories(cli.stateDir());
        Path elsewhere = tmp.resolve("elsewhere/created-by-vmtrust");
        Files.createDirectories(elsewhere.getParent());
        Files.createSymbolicLink(cli.stateDir().resolve("lock"), elsewhere);

        CliRun.Result link = cli.run("sync");

        assertThat(link.exit()).isEqualTo(1);
        assertThat(link.err())
                .isEqualTo("vmtrust: " + cli.stateDir().resolve("lock") + ": not a regular file"
                        + " (a symbolic link); vmtrust locks only a regular file it creates itself: remove it, vmtrust"
                        + " makes a new one\n");
        assertThat(Files.exists(elsewhere, LinkOption.NOFOLLOW_LINKS)).isFalse();

        Files.delete(cli.stateDir().resolve("lock"));
        assertThat(new ProcessBuilder("mkfifo", cli.stateDir().resolve("lock").toString())
                        .start()
                        .waitFor())
                .isZero();
        CliRun.Result fifo = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cli.run("sync"));
        assertThat(fifo.err()).contains("lock: not a regular file (a FIFO); vmtrust locks only a regular file");
    }

    @Test
    void aReadOnlyColimaYamlIsLeftAsItIsWithANote() throws Exception {
        CliRun cli = cli();
        Files.setPosixFilePermissions(yaml(), PosixFilePermissions.fromString("r--r--r--"));

        CliRun.Result r = cli.run("sync", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> t =
                Json.asObject(Json.asList(r.json().get("targets")).get(0));
        assertThat(t)
                .containsEntry("persisted", "skipped")
                .containsEntry(
                        "notes",
                        List.of(
                                yaml()
                                        + " is read-only; vmtrust leaves it as it is: make it writable (chmod u+w) to let vmtrust add its entry"));
        assertThat(Files.readString(yaml())).isEqualTo(YAML);
        assertThat(cli.run("sync").out())
                .endsWith(
                        "\n  colima/default  stopped: skipped\n                  note: " + yaml()
                                + " is read-only; vmtrust leaves it as it is: make it writable (chmod u+w) to let vmtrust add its entry\n");
    }

    @Test
    void aUsersEditOfTheEntryIsReplacedKeptAndReported() throws Exception {
        CliRun cli = cli();
        assertThat(cli.run("sync").exit()).isZero();
        String edited = Files.readString(yaml()).replace("set -eu\n", "set -eu\n      echo my own line\n");
        assertThat(edited).contains("my own line");
        Files.writeString(yaml(), edited);
        Files.setLastModifiedTime(yaml(), FileTime.fromMillis(1_000_000_000_000L));

        CliRun.Result r = cli.run("sync", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        Path backup = yaml().resolveSibling("colima.yaml.vmtrust-user-edit.bak");
        Map<String, Object> t =
                Json.asObject(Json.asList(r.json().get("targets")).get(0));
        assertThat(t)
                .containsEntry("persisted", "updated")
                .containsEntry(
                        "notes",
                        List.of("your edits to vmtrust's entry in " + yaml() + " were replaced; your version is in "
                                + backup));
        assertThat(Files.readString(backup)).isEqualTo(edited);
        assertThat(Files.readString(yaml())).doesNotContain("my own line");
        assertThat(Files.readString(yaml().resolveSibling("colima.yaml.vmtrust.bak")))
                .isEqualTo(YAML);
        Map<String, Object> again = Json.asObject(
                Json.asList(cli.run("sync", "--json").json().get("targets")).get(0));
        assertThat(again).containsEntry("persisted", "unchanged").doesNotContainKey("notes");
    }
}
