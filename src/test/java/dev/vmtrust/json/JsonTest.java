package dev.vmtrust.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writes_objects_in_insertion_order_with_escapes() {
        String out = Json.write(Json.obj("a", 1, "b", List.of("x\"y", "\n"), "c", null, "d", true));
        assertThat(out).isEqualTo("{\"a\":1,\"b\":[\"x\\\"y\",\"\\n\"],\"c\":null,\"d\":true}");
    }

    @Test
    void escapes_non_ascii_and_control_characters() {
        assertThat(Json.write("é\u0001")).isEqualTo("\"\\u00e9\\u0001\"");
    }

    @Test
    void reads_back_what_it_wrote() {
        Object v = Json.obj("at", "2026-01-01T00:00:00Z", "n", 3L, "l", Arrays.asList(1L, null, "é\"x"), "o", Json.obj());
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
    }

    @Test
    void rejects_trailing_text() {
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessage("invalid JSON at offset 3: trailing text");
    }
}
