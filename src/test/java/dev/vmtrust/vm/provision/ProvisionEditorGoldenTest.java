package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static dev.vmtrust.vm.provision.TestScripts.SCRIPT2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files in src/test/resources/provision: NAME.yaml is the input, NAME.upsert.yaml the
 * expected result of upsert(SCRIPT), NAME.removed.yaml (when present) the expected result of
 * removing it again (and of removing from the input), which otherwise is the input itself. Run with -Dprovision.golden.write=true
 * to rewrite the expected files from the current output, then review them by eye.
 */
class ProvisionEditorGoldenTest {
    private static final boolean WRITE = Boolean.getBoolean("provision.golden.write");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "colima-default",
                "lima-template",
                "missing-key",
                "null-empty",
                "null-explicit",
                "flow-others",
                "block-2space-replace",
                "block-4space",
                "block-zero-indent",
                "doc-start",
                "crlf",
                "no-newline",
                "anchors",
                "keep-chomp",
                "duplicates",
                "doc-end",
                "comment-only",
                "anchored-list"
            })
    void upsertWritesTheGoldenTextAndRemoveRestoresIt(String name) throws Exception {
        String input = resource(name + ".yaml");

        Edit inserted = ProvisionEditor.upsert(input, SCRIPT);
        assertThat(inserted.changed()).isTrue();
        assertThat(inserted.text()).isEqualTo(golden(name + ".upsert.yaml", inserted.text()));
        assertThat(ProvisionEditor.currentScript(inserted.text())).contains(SCRIPT);

        Edit again = ProvisionEditor.upsert(inserted.text(), SCRIPT);
        assertThat(again.changed()).isFalse();
        assertThat(again.text()).isSameAs(inserted.text());

        String removed = ProvisionEditor.remove(inserted.text()).text();
        boolean hadEntry = ProvisionEditor.currentScript(input).isPresent();
        boolean golden = exists(name + ".removed.yaml") || WRITE && !removed.equals(input);
        assertThat(removed).isEqualTo(golden ? golden(name + ".removed.yaml", removed) : input);
        if (hadEntry) {
            assertThat(ProvisionEditor.remove(input).text()).isEqualTo(removed);
        }
        assertThat(ProvisionEditor.currentScript(removed)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "colima-default",
                "lima-template",
                "null-empty",
                "flow-others",
                "block-2space-replace",
                "block-zero-indent",
                "crlf",
                "no-newline",
                "keep-chomp"
            })
    void aChangedScriptChangesOnlyLinesOfTheScript(String name) throws Exception {
        String current =
                ProvisionEditor.upsert(resource(name + ".yaml"), SCRIPT).text();

        Edit updated = ProvisionEditor.upsert(current, SCRIPT2);

        assertThat(updated.changed()).isTrue();
        Set<String> scriptLines = new HashSet<>(List.of(SCRIPT.split("\n")));
        scriptLines.addAll(List.of(SCRIPT2.split("\n")));
        List<String> changed = UnifiedDiff.diff("a", "b", current, updated.text())
                .lines()
                .skip(2)
                .filter(l -> l.startsWith("-") || l.startsWith("+"))
                .map(l -> l.substring(1).strip())
                .toList();
        assertThat(changed).hasSize(4).allSatisfy(l -> assertThat(scriptLines).contains(l));
        assertThat(ProvisionEditor.currentScript(updated.text())).contains(SCRIPT2);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ProvisionEditorGoldenTest.class.getResourceAsStream("/provision/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /provision/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean exists(String name) {
        return ProvisionEditorGoldenTest.class.getResource("/provision/" + name) != null;
    }

    private static String golden(String name, String actual) throws IOException {
        if (WRITE) {
            Files.writeString(Path.of("src/test/resources/provision", name), actual, StandardCharsets.UTF_8);
            return actual;
        }
        return resource(name);
    }
}
