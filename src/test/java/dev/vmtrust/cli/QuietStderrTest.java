package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.ChildJvm;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 13: libraries do not write to stderr behind the logger's back. SnakeYAML warns about
 * duplicate keys through java.util.logging, whose console handler writes to the process's stderr; vmtrust
 * reports the problems of a YAML itself, so that warning is off. Run in a child JVM: java.util.logging
 * holds the stderr it found when it started.
 */
class QuietStderrTest {
    @TempDir
    Path tmp;

    @Test
    void aDuplicateKeyInAColimaYamlLeavesStderrClean() throws Exception {
        Path yaml = tmp.resolve("colima/default/colima.yaml");
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "cpu: 2\ncpu: 4\nprovision: []\n");
        Files.setLastModifiedTime(yaml, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        Path config = Files.writeString(
                tmp.resolve("config.yaml"), """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(caFile, tmp.resolve("colima"), tmp.resolve("lima")));
        Map<String, String> env = Map.of(
                "HOME",
                tmp.resolve("home").toString(),
                "XDG_STATE_HOME",
                tmp.resolve("state").toString(),
                "VMTRUST_CONFIG",
                config.toString());

        CliRun.Result r = ChildJvm.run(List.of(), null, env, tmp, "sync");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readString(yaml)).startsWith("cpu: 2\ncpu: 4\nprovision:\n  - mode: system\n");
    }
}
