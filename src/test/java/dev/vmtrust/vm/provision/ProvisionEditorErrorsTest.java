package dev.vmtrust.vm.provision;

import static dev.vmtrust.vm.provision.TestScripts.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** What vmtrust refuses to edit, and the words it uses to say so. */
class ProvisionEditorErrorsTest {

    private static ProvisionYamlException upsertFails(String yaml) {
        return catchThrowableOfType(ProvisionYamlException.class, () -> ProvisionEditor.upsert(yaml, SCRIPT));
    }

    @Test
    void aProvisionMappingIsRefusedWithItsLineAndColumn() {
        ProvisionYamlException e = upsertFails("cpu: 2\nmemory: 4\nprovision:\n  mode: system\n");

        assertThat(e.getMessage())
                .isEqualTo("line 4, column 3: \"provision\" is a mapping, expected"
                        + " a list; fix the file, vmtrust will not edit it");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void aProvisionScalarIsRefused() {
        assertThat(upsertFails("provision: yes\n").getMessage())
                .isEqualTo("line 1, column 12:"
                        + " \"provision\" is a single value (yes), expected a list; fix the file, vmtrust will"
                        + " not edit it");
    }

    @Test
    void removeAndCurrentScriptRefuseTheSameShapes() {
        String yaml = "provision: {mode: system}\n";

        assertThatThrownBy(() -> ProvisionEditor.remove(yaml))
                .isInstanceOf(ProvisionYamlException.class)
                .hasMessageContaining("is a mapping");
        assertThatThrownBy(() -> ProvisionEditor.currentScript(yaml))
                .isInstanceOf(ProvisionYamlException.class)
                .hasMessageContaining("is a mapping");
    }

    @Test
    void invalidYamlIsRefusedAtTheProblem() {
        ProvisionYamlException e = upsertFails("cpu: 2\nprovision: [\n  {mode: user\n");

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.getMessage())
                .startsWith("line 4, column 1: invalid YAML: ")
                .endsWith("; fix the file, vmtrust will not edit it");
    }

    @Test
    void tabIndentationIsInvalidYaml() {
        ProvisionYamlException e = upsertFails("provision:\n\t- mode: user\n");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.getMessage()).contains("invalid YAML").contains("TAB");
    }

    @Test
    void aTopLevelListIsRefused() {
        assertThat(upsertFails("- mode: system\n").getMessage())
                .isEqualTo("line 1, column 1: the"
                        + " top level is a list, expected a mapping; fix the file, vmtrust will not edit it");
    }

    @Test
    void severalDocumentsAreRefused() {
        assertThat(upsertFails("cpu: 2\n---\ncpu: 4\n").getMessage())
                .isEqualTo("line 3, column 1:"
                        + " the file holds more than one YAML document; vmtrust edits only single-document"
                        + " files and will not edit it");
    }

    @Test
    void aSecondProvisionKeyIsRefused() {
        assertThat(upsertFails("provision: []\ncpu: 2\nprovision: []\n").getMessage())
                .isEqualTo("line 3, column 1: \"provision\" appears twice (first at line 1); keep one, vmtrust will"
                        + " not edit the file until then");
    }

    @Test
    void aFlowListWithCommentsInsideIsRefused() {
        assertThat(upsertFails("provision: [ # none\n]\n").getMessage())
                .isEqualTo("line 1, column"
                        + " 12: \"provision\" is a flow list [...] with comments inside; rewrite it as a block"
                        + " list (\"- mode: ...\" lines), vmtrust will not edit it");
    }

    @Test
    void anAliasItemOrListIsRefusedButCanBeRead() throws Exception {
        String aliasItem = "user: &u {mode: user, script: echo}\nprovision:\n  - *u\n";
        String aliasList = "lists:\n  x: &p\n    - {mode: user, script: echo}\nprovision: *p\n";

        assertThat(upsertFails(aliasItem).getMessage())
                .isEqualTo("line 1, column 7: a \"provision\""
                        + " item is an alias (*name); write it out in full, vmtrust will not edit the list until"
                        + " then");
        assertThat(upsertFails(aliasList).getMessage())
                .isEqualTo("line 4, column 1: \"provision\" is"
                        + " an alias (*name) of a list defined elsewhere; write the list out under \"provision\","
                        + " vmtrust will not edit it");
        assertThat(ProvisionEditor.remove(aliasItem).changed()).isFalse();
    }

    @Test
    void anEditThatWouldChangeOtherDataIsRefusedByVerification() {
        String shared = "provision: &p\n  - mode: user\n    script: echo\nagain: *p\n";

        assertThat(upsertFails(shared).getMessage())
                .isEqualTo("line 1, column 1: vmtrust could not"
                        + " edit \"provision\" safely (the values of other keys changed); the file was not"
                        + " changed; add the entry by hand or report this as a vmtrust bug");
    }

    @Test
    void aFlowStyleTopLevelIsRefusedOnlyWhenAnEditIsNeeded() throws Exception {
        assertThat(upsertFails("{cpu: 2}\n").getMessage())
                .isEqualTo("line 1, column 1: the top-level"
                        + " mapping is written in flow style {...}; rewrite it in block style, vmtrust will not"
                        + " edit it");
        assertThat(ProvisionEditor.remove("{cpu: 2}\n").changed()).isFalse();
    }

    @Test
    void lineBreaksOtherThanLfAndCrLfAreRefused() {
        assertThat(upsertFails("cpu: 2\rprovision: []\r").getMessage())
                .isEqualTo("line 1, column 7:"
                        + " the file uses the line break U+000D; save it with LF or CR LF line endings, vmtrust"
                        + " will not edit it");
    }

    @Test
    void theFileNameGoesFirstWhenKnown() {
        ProvisionYamlException e = upsertFails("provision: {}\n").inFile(java.nio.file.Path.of("/p/colima.yaml"));

        assertThat(e.getMessage())
                .isEqualTo("/p/colima.yaml line 1, column 12: \"provision\" is a"
                        + " mapping, expected a list; fix the file, vmtrust will not edit it");
        assertThat(e.file()).contains(java.nio.file.Path.of("/p/colima.yaml"));
    }

    @Test
    void aScriptWithoutTheMarkerIsAProgrammingError() {
        assertThatThrownBy(() -> ProvisionEditor.upsert("cpu: 2\n", "echo hi\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provision script must start with \"# vmtrust: managed entry, do not edit\""
                        + " on its first line, or vmtrust will not recognise it");
    }

    @Test
    void aScriptWithCarriageReturnsIsRejected() {
        assertThatThrownBy(() -> ProvisionEditor.upsert("cpu: 2\n", ProvisionEditor.MARKER + "\r\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provision script has the character U+000D at offset 37, which a YAML"
                        + " literal block cannot hold");
    }
}
