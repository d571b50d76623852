package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaCert;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private final CaCert zscaler =
            TestCerts.rootCa("CN=Zscaler Root CA,O=Zscaler Inc.").cert();
    private final CaCert corp = TestCerts.rootCa("CN=Corp Root,O=Corp").cert();

    @Test
    void emptyIncludeSelectsEveryCa() {
        assertThat(Selection.all().dropReason(corp)).isEmpty();
    }

    @Test
    void includeMatchesSubjectSubstringsCaseInsensitively() {
        Selection s = new Selection(List.of("zscaler"), List.of());
        assertThat(s.dropReason(zscaler)).isEmpty();
        assertThat(s.dropReason(corp)).contains("not matched by include");
    }

    @Test
    void sha256EntriesMatchTheFullFingerprintOrAPrefixOf16OrMore() {
        String fp = corp.sha256();
        assertThat(new Selection(List.of("sha256:" + fp), List.of()).dropReason(corp))
                .isEmpty();
        assertThat(new Selection(List.of("SHA256:" + fp.substring(0, 16).toUpperCase()), List.of()).dropReason(corp))
                .isEmpty();
        assertThat(new Selection(List.of("sha256:" + fp.substring(0, 16)), List.of()).dropReason(zscaler))
                .contains("not matched by include");
    }

    @Test
    void excludeNamesTheEntryThatMatchedAndWinsOverInclude() {
        Selection s = new Selection(List.of("root"), List.of("nothing", "O=Corp"));
        assertThat(s.dropReason(corp)).isEqualTo(Optional.of("excluded by \"O=Corp\""));
        assertThat(s.dropReason(zscaler)).isEmpty();
    }

    @Test
    void shortOrNonHexFingerprintsAreRefused() {
        assertThat(Selection.problems(List.of("sha256:abcd", "sha256:zz00000000000000", "", "Corp")))
                .containsExactly(
                        "\"sha256:abcd\" is not a usable fingerprint: write sha256: and 16 to 64 hex digits",
                        "\"sha256:zz00000000000000\" is not a usable fingerprint: write sha256: and 16 to 64 hex digits",
                        "an empty entry matches every CA; remove it");
        assertThatThrownBy(() -> new Selection(List.of(), List.of("sha256:12")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"sha256:12\" is not a usable fingerprint: write sha256: and 16 to 64 hex digits");
    }
}
