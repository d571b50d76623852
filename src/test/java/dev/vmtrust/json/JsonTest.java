package dev.vmtrust.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    enum Word {
        PENDING_RESTART,
        OK
    }

    @Test
    void writesObjectsInInsertionOrderWithEscapes() {
        String out = Json.write(Json.obj("a", 1, "b", List.of("x\"y", "\n"), "c", null, "d", true));
        assertThat(out).isEqualTo("{\"a\":1,\"b\":[\"x\\\"y\",\"\\n\"],\"c\":null,\"d\":true}");
    }

    @Test
    void escapesNonAsciiAndControlCharacters() {
        assertThat(Json.write("é\u0001")).isEqualTo("\"\\u00e9\\u0001\"");
        assertThat(Json.write("\b\f\u007f/\u2028\uD83D\uDE00"))
                .isEqualTo("\"\\u0008\\u000c\\u007f/\\u2028\\ud83d\\ude00\"");
    }

    @Test
    void everyCharacterIsWrittenAsTheHandWrittenWriterDid() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) all.append(c);
        all.append(Character.MAX_VALUE);
        String s = all.toString();
        assertThat(Json.write(s)).isEqualTo(HandWrittenJson.write(s));
        assertThat(Json.write(Json.obj(s, s))).isEqualTo(HandWrittenJson.write(Json.obj(s, s)));
    }

    @Test
    void numbersEnumsAndCollectionsAreWrittenAsBefore() {
        Map<String, Object> sorted = new TreeMap<>(Map.of("b", 2L, "a", 1));
        Object v = Json.obj(
                "int",
                3,
                "long",
                Long.MIN_VALUE,
                "double",
                0.1,
                "round",
                rounded(2.0),
                "big",
                1e21,
                "small",
                1e-7,
                "float",
                0.1f,
                "short",
                (short) 7,
                "decimal",
                new BigDecimal("1.25"),
                "nan",
                Double.NaN,
                "inf",
                Double.NEGATIVE_INFINITY,
                "enum",
                Word.PENDING_RESTART,
                "enums",
                List.of(Word.OK),
                "sorted",
                sorted,
                "set",
                new TreeSet<>(List.of("y", "x")),
                "empty",
                List.of(),
                "nested",
                Json.obj("o", Json.obj(), "n", Arrays.asList(null, false)));
        assertThat(Json.write(v))
                .isEqualTo(HandWrittenJson.write(v))
                .contains("\"double\":0.1,\"round\":2.0,\"big\":1.0E21,\"small\":1.0E-7,\"float\":0.10000000149011612,"
                        + "\"short\":7.0,\"decimal\":1.25,\"nan\":NaN,\"inf\":-Infinity,\"enum\":\"pending_restart\"");
    }

    @Test
    void randomDocumentsAreWrittenAsBefore() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            Object v = randomValue(random, 3);
            assertThat(Json.write(v)).as("round %d", round).isEqualTo(HandWrittenJson.write(v));
        }
    }

    @Test
    void aValueOfAnotherTypeIsRefused() {
        assertThatThrownBy(() -> Json.write(Json.obj("at", Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a JSON value");
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsBackWhatItWrote() {
        Object v = Json.obj(
                "at",
                "2026-01-01T00:00:00Z",
                "n",
                3L,
                "l",
                Arrays.asList(1L, null, "é\"x"),
                "o",
                Json.obj(),
                "d",
                0.25,
                "big",
                Long.MAX_VALUE,
                "t",
                true,
                "s",
                "\u0000\b\f\u007f\uD83D\uDE00");
        Object back = Json.parse(Json.write(v));
        assertThat(back).isEqualTo(v);
        assertThat(Json.asObject(back)).isInstanceOf(LinkedHashMap.class).containsKeys("at", "n", "l");
        assertThat(Json.asObject(back).keySet()).containsExactly("at", "n", "l", "o", "d", "big", "t", "s");
        assertThat(Json.asObject(back).get("n")).isInstanceOf(Long.class);
        assertThat(Json.asObject(back).get("d")).isInstanceOf(Double.class);
        assertThat(Json.asObject(back).get("l")).isInstanceOf(ArrayList.class);
    }

    @Test
    void readsIntegersAsLongsEverywhere() {
        assertThat(Json.parse("[1,{\"a\":[2]},-3]")).isEqualTo(List.of(1L, Map.of("a", List.of(2L)), -3L));
        assertThat(Json.parse("7")).isEqualTo(7L);
        assertThat(Json.parse("1e2")).isEqualTo(100.0);
        assertThat(Json.parse(" \t\r\n{ \"a\" : 1 }\n")).isEqualTo(Map.of("a", 1L));
    }

    @Test
    void rejectsTrailingText() {
        assertThatThrownBy(() -> Json.parse("{} {}")).hasMessage("invalid JSON at offset 3: trailing text");
        assertThatThrownBy(() -> Json.parse("{} x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON at offset 3: ");
    }

    /** Each of these the hand-written parser accepted (or crashed on with something else than a clean error). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"\\x\"",
                "\"\\'\"",
                "\"\\/\\q\"",
                "\"\\u12\"",
                "\"a\u0001b\"",
                "\"tab\tinside\"",
                "\"line\nbreak\"",
                "\u000b1",
                "\u000c[]",
                "\u00a0{}",
                "{}\u2028",
                "\u001f0",
                "[1,\u00852]",
                "+1",
                "01",
                "-01",
                ".5",
                "1.",
                "1.e3",
                "NaN",
                "Infinity",
                "-Infinity",
                "0x10",
                "[1,]",
                "{\"a\":1,}",
                "[,1]",
                "{'a':1}",
                "{a:1}",
                "// c\n{}",
                "/* c */{}",
                "# c\n{}",
                "{\"a\":1,\"a\":2}",
                "[1 2]",
                "tru",
                "nul",
                "\"unterminated",
                "{\"a\"}",
                "",
                "   ",
                "123456789012345678901234567890"
            })
    void rejectsWhatJsonForbids(String text) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void deepNestingIsACleanErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON");
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> Json.parse("{\"a\":\"\\x\"}")).hasMessageStartingWith("invalid JSON at offset ");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("'a'");
    }

    private static double rounded(double d) {
        return Math.round(d * 10) / 10.0;
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 5 -> randomString(random);
            case 6, 7 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) m.put(randomString(random), randomValue(random, depth - 1));
                yield m;
            }
            default -> {
                List<Object> l = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) l.add(randomValue(random, depth - 1));
                yield l;
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            sb.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x10000) : (char) random.nextInt(0x80));
        }
        return sb.toString();
    }
}
