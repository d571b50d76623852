package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.json.Json;
import dev.vmtrust.testing.ChildJvm;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 4: under the installed agent's heap (-Xmx64m, scripts/vmtrust) the file limits are the real
 * ones: YAMLs up to the limit and CA sets up to the persisted maximum are written, anything larger is refused
 * with a message naming the limit, never an OutOfMemoryError.
 */
class HeapLimitsTest {
    /** Runs the child JVM with the heap options of the launcher (scripts/vmtrust) and the installed services. */
    private static final List<String> XMX64M = List.of(
            "sh",
            "-c",
            "j=\"$1\"; shift; exec \"$j\" -Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \"$@\"",
            "sh");

    @TempDir
    Path tmp;

    private Map<String, String> setUp(List<TestCerts.Issued> cas, int profiles, int yamlBytes, String exclude)
            throws Exception {
        List<String> files = new java.util.ArrayList<>();
        for (int f = 0; f * 1000 < cas.size(); f++) { // a CA file holds at most 1 MiB
            StringBuilder pem = new StringBuilder();
            for (int i = f * 1000; i < Math.min(cas.size(), f * 1000 + 1000); i++)
                pem.append(cas.get(i).pem());
            files.add(Files.writeString(tmp.resolve("corp" + f + ".pem"), pem).toString());
        }
        StringBuilder yaml = new StringBuilder("cpu: 2\nprovision: []\nenv:\n");
        for (int i = 0; yaml.length() < yamlBytes - 40; i++)
            yaml.append("  KEY_").append(i).append(": \"some value ").append(i).append("\"\n");
        for (int p = 0; p < profiles; p++) {
            Path f = tmp.resolve("colima/p" + p + "/colima.yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, yaml);
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        }
        Path config = Files.writeString(tmp.resolve("config.yaml"), """
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                exclude: [%s]
                targets: {colima: {home: %s}, lima: {home: %s}}
                """.formatted(
                        String.join(", ", files), exclude, tmp.resolve("colima"), tmp.resolve("lima")));
        return Map.of(
                "HOME",
                tmp.resolve("home").toString(),
                "XDG_STATE_HOME",
                tmp.resolve("state").toString(),
                "VMTRUST_CONFIG",
                config.toString());
    }

    private static List<TestCerts.Issued> cas(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> TestCerts.rootCa("CN=Corp Root " + i + ",O=Corp"))
                .toList();
    }

    private static List<Map<String, Object>> targets(CliRun.Result r) {
        return Json.asList(r.json().get("targets")).stream().map(Json::asObject).toList();
    }

    @Test
    void fiveHalfMegabyteYamlsSyncedTogetherAreWrittenAndAOneMegabyteOneIsRefusedNamingTheLimit() throws Exception {
        Map<String, String> env = setUp(cas(1), 5, 500_000, "");
        Path big = tmp.resolve("colima/p0/colima.yaml");
        Files.writeString(
                big,
                Files.readString(big) + Files.readString(big).substring(20) + "  MORE: \"" + "x".repeat(100_000)
                        + "\"\n");
        Files.setLastModifiedTime(big, FileTime.fromMillis(1_000_000_000_000L));
        long size = Files.size(big);

        CliRun.Result r = ChildJvm.run(XMX64M, null, env, tmp, "sync", "--json");

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        List<Map<String, Object>> ts = targets(r);
        assertThat(ts.get(0))
                .containsEntry("persisted", "failed")
                .containsEntry(
                        "error",
                        big + ": "
                                + dev.vmtrust.platform.BoundedFiles.size(size)
                                + " of YAML beside vmtrust's entry is over the 512 KiB"
                                + " limit for a provision YAML; vmtrust leaves it as it is");
        assertThat(ts.subList(1, 5))
                .allSatisfy(
                        t -> assertThat(t).containsEntry("persisted", "updated").containsEntry("error", null));
    }

    @Test
    void theLargestPersistedSetIsWrittenAndALargerOneIsRefusedNamingTheLimit() throws Exception {
        List<TestCerts.Issued> cas = cas(1001);
        Map<String, String> env =
                setUp(cas, 1, 20_000, "\"sha256:" + cas.get(0).cert().sha256() + "\"");

        CliRun.Result thousand = ChildJvm.run(XMX64M, null, env, tmp, "sync", "--json");

        assertThat(thousand.exit()).as(thousand.err() + thousand.out()).isZero();
        assertThat(targets(thousand).get(0))
                .containsEntry("persisted", "updated")
                .containsEntry("error", null);

        Path config = Path.of(env.get("VMTRUST_CONFIG"));
        Files.writeString(
                config,
                Files.readString(config)
                        .replace(cas.get(0).cert().sha256(), cas.get(1).cert().sha256()));
        CliRun.Result rotated = ChildJvm.run(XMX64M, null, env, tmp, "sync", "--json");

        assertThat(rotated.exit())
                .as("a rotation re-reads and checks the 1000-CA entry: " + rotated.err())
                .isZero();
        assertThat(targets(rotated).get(0))
                .containsEntry("persisted", "updated")
                .containsEntry("error", null)
                .doesNotContainKey("notes");

        Files.writeString(config, Files.readString(config).replaceAll("exclude: \\[.*\\]", "exclude: []"));
        CliRun.Result more = ChildJvm.run(XMX64M, null, env, tmp, "sync", "--json");

        assertThat(more.exit()).as(more.err()).isEqualTo(3);
        assertThat(targets(more).get(0))
                .containsEntry("persisted", "failed")
                .containsEntry(
                        "error",
                        "the CA set has"
                                + " 1001 certificates; vmtrust persists at most 1000 in a provision entry (limit); narrow it with"
                                + " include/exclude");
    }
}
