package dev.vmtrust.vm.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every script text vmtrust may write reads back exactly, in every list layout. */
class ScriptBlockTest {
    private static final String M = ProvisionEditor.MARKER;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "\n",
                "\necho no final newline",
                "\necho x\n\n\n",
                "\necho x\n   ",
                "\necho x   \n",
                "\n\n\necho after leading empty lines\n",
                "\n  two leading spaces\n",
                "\n\ttab first\n",
                "\n\t\n",
                "\n---\n...\n- item\nkey: value\n? q\n! tag\n& anchor\n* alias\n% directive\n",
                "\necho \"$HOME\" '$x' `date` \\\\ \\n # not a comment: {a: [b]}\n",
                "\necho café ☕ 😀\n",
                "\n|\n>\n|-\n",
                "\n   \n\n  \n"
            })
    void aScriptReadsBackExactly(String rest) throws Exception {
        String script = M + rest;
        for (String yaml : new String[] {
            "",
            "cpu: 2\n",
            "provision: []\n",
            "provision:\n- a\n",
            "provision:\n    - a\n# c\nenv: {}\n",
            "provision:\r\n  - a\r\n"
        }) {
            String text = ProvisionEditor.upsert(yaml, script).text();

            assertThat(ProvisionEditor.currentScript(text)).contains(script);
            assertThat(ProvisionEditor.upsert(text, script).changed()).isFalse();
        }
    }

    @Test
    void aVeryLongLineReadsBackExactly() throws Exception {
        String script = M + "\necho " + "QUJD".repeat(50_000) + "\n";

        String text = ProvisionEditor.upsert("provision: []\n", script).text();

        assertThat(ProvisionEditor.currentScript(text)).contains(script);
    }

    @Test
    void theHeaderKeepsOrStripsTheFinalNewlines() {
        assertThat(ScriptBlock.header("a\n")).isEqualTo("|");
        assertThat(ScriptBlock.header("a")).isEqualTo("|-");
        assertThat(ScriptBlock.header("a\n\n")).isEqualTo("|+");
        assertThat(ScriptBlock.header("\n")).isEqualTo("|+");
        assertThat(ScriptBlock.header("\n  a\n")).isEqualTo("|2");
        assertThat(ScriptBlock.header(" a")).isEqualTo("|2-");
    }

    @Test
    void theItemIsIndentedFromItsDashColumn() {
        assertThat(ScriptBlock.item(M + "\necho\n", 2, "\r\n"))
                .isEqualTo("  - mode: system\r\n" + "    script: |\r\n      " + M + "\r\n      echo\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\u0000", "\u001b", "\u0085", "\u2028", "\u2029", "\uFEFF", "\uD800", "\u007F"})
    void aCharacterALiteralBlockCannotHoldIsRejected(String bad) {
        assertThatThrownBy(() -> ProvisionEditor.upsert("", M + "\necho " + bad + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(" at offset " + (M.length() + 6) + ", which a YAML literal block cannot hold");
    }
}
