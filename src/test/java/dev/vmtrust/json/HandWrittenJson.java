package dev.vmtrust.json;

import java.util.Iterator;
import java.util.Map;

/**
 * The JSON writer vmtrust had before jackson-jr, kept verbatim as the oracle of {@link JsonTest}: every
 * existing caller's output must stay byte-identical.
 */
final class HandWrittenJson {
    private HandWrittenJson() {}

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v == null) sb.append("null");
        else if (v instanceof String s) string(sb, s);
        else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) sb.append(v);
        else if (v instanceof Number n) sb.append(n.doubleValue());
        else if (v instanceof Map<?, ?> m) object(sb, m);
        else if (v instanceof Iterable<?> l) array(sb, l.iterator());
        else if (v instanceof Enum<?> e) string(sb, e.name().toLowerCase(java.util.Locale.ROOT));
        else
            throw new IllegalArgumentException(
                    "not a JSON value: " + v.getClass().getName());
    }

    private static void object(StringBuilder sb, Map<?, ?> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            string(sb, String.valueOf(e.getKey()));
            sb.append(':');
            append(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void array(StringBuilder sb, Iterator<?> it) {
        sb.append('[');
        for (boolean first = true; it.hasNext(); first = false) {
            if (!first) sb.append(',');
            append(sb, it.next());
        }
        sb.append(']');
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
