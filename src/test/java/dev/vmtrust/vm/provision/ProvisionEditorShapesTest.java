package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Small shapes, asserted as whole texts. */
class ProvisionEditorShapesTest {
    private static final String OURS =
            "{mode: system, script: \"" + ProvisionEditor.MARKER + " (bundle sha256:00)\\necho old\\n\"}";

    @Test
    void anEmptyTextGetsAProvisionList() throws Exception {
        String text = ProvisionEditor.upsert("", SCRIPT).text();

        assertThat(text).isEqualTo("provision:\n" + ScriptBlock.item(SCRIPT, 2, "\n"));
    }

    @Test
    void aCurrentEntryReturnsTheSameStringUnchanged() throws Exception {
        String yaml = "provision:\n" + ScriptBlock.item(SCRIPT, 0, "\n");

        Edit edit = ProvisionEditor.upsert(yaml, SCRIPT);

        assertThat(edit.changed()).isFalse();
        assertThat(edit.text()).isSameAs(yaml);
    }

    @Test
    void anEntryColimaReRenderedInAnotherStyleIsStillCurrent() throws Exception {
        String script = ProvisionEditor.markerLine("00") + "\necho 'x'\n";
        String yaml = "provision:\n  - mode: \"system\"\n    script: \"" + script.replace("\n", "\\n") + "\"\n";

        assertThat(ProvisionEditor.upsert(yaml, script).changed()).isFalse();
    }

    @Test
    void anEntryWithTheWrongModeOrAnExtraKeyIsRewritten() throws Exception {
        String wrongMode = "provision:\n" + ScriptBlock.item(SCRIPT, 0, "\n").replace("mode: system", "mode: user");
        String extraKey = "provision:\n" + ScriptBlock.item(SCRIPT, 0, "\n") + "  extra: 1\n";

        assertThat(ProvisionEditor.upsert(wrongMode, SCRIPT).text())
                .isEqualTo("provision:\n" + ScriptBlock.item(SCRIPT, 0, "\n"));
        assertThat(ProvisionEditor.upsert(extraKey, SCRIPT).text())
                .isEqualTo("provision:\n" + ScriptBlock.item(SCRIPT, 0, "\n"));
    }

    @Test
    void removingTheOnlyEntryLeavesAnEmptyListAfterAnchorAndTag() throws Exception {
        String yaml = "provision: &p !!seq # keep me\n" + ScriptBlock.item(SCRIPT, 2, "\n") + "env: {}\n";

        assertThat(ProvisionEditor.remove(yaml).text()).isEqualTo("provision: &p !!seq [] # keep me\nenv: {}\n");
    }

    @Test
    void ourEntriesInAFlowListAreRemovedWithTheirCommas() throws Exception {
        assertThat(ProvisionEditor.remove("provision: [" + OURS + ", {mode: user}]\n")
                        .text())
                .isEqualTo("provision: [{mode: user}]\n");
        assertThat(ProvisionEditor.remove("provision: [{mode: user}, " + OURS + "]\n")
                        .text())
                .isEqualTo("provision: [{mode: user}]\n");
        assertThat(ProvisionEditor.remove("provision: [a, " + OURS + ", " + OURS + ", b]\n")
                        .text())
                .isEqualTo("provision: [a, b]\n");
        assertThat(ProvisionEditor.remove("provision: [ " + OURS + " ] # c\n").text())
                .isEqualTo("provision: [] # c\n");
    }

    @Test
    void ourEntryInAFlowListIsReplacedByABlockList() throws Exception {
        String text = ProvisionEditor.upsert("provision: [a, " + OURS + "]\nenv: {}\n", SCRIPT)
                .text();

        assertThat(text).isEqualTo("provision:\n  - a\n" + ScriptBlock.item(SCRIPT, 2, "\n") + "env: {}\n");
    }

    @Test
    void currentScriptReadsTheFirstEntryAndIgnoresOthers() throws Exception {
        String yaml = "provision:\n  - {mode: user, script: \"# not ours\"}\n" + ScriptBlock.item(SCRIPT, 2, "\n");

        assertThat(ProvisionEditor.currentScript(yaml)).contains(SCRIPT);
        assertThat(ProvisionEditor.currentScript("provision: []\n")).isEmpty();
        assertThat(ProvisionEditor.currentScript("")).isEmpty();
    }

    @Test
    void aByteOrderMarkAndNonAsciiTextBeforeTheListAreKept() throws Exception {
        String yaml = "\uFEFF# café ☕ 😀😀\nname: \"😀\"\nprovision: []\n";

        String text = ProvisionEditor.upsert(yaml, SCRIPT).text();

        assertThat(text)
                .isEqualTo("\uFEFF# café ☕ 😀😀\nname: \"😀\"\nprovision:\n" + ScriptBlock.item(SCRIPT, 2, "\n"));
        assertThat(ProvisionEditor.remove(text).text()).isEqualTo(yaml);
    }

    @Test
    void anEntryStartingOnTheLineAfterItsDashIsReplacedWhole() throws Exception {
        String yaml =
                "provision:\n-   # ours\n  mode: system\n  script: \"" + ProvisionEditor.MARKER + "\"\n- mode: user\n";

        assertThat(ProvisionEditor.upsert(yaml, SCRIPT).text())
                .isEqualTo("provision:\n" + ScriptBlock.item(SCRIPT, 0, "\n") + "- mode: user\n");
    }
}
