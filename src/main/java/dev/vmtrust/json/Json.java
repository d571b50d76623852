package dev.vmtrust.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer for vmtrust's fixed output shapes: values are {@code Map<String,?>} (insertion
 * order kept, use LinkedHashMap), {@code List<?>}, {@code String}, {@code Number}, {@code Boolean}, null.
 * Output is compact, one line, with non-ASCII and control characters escaped, so it is safe in logs.
 */
public final class Json {
    private Json() {}

    public static String write(Object value) {
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
        else throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
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

    /** Convenience for building ordered objects: {@code Json.obj("a", 1, "b", List.of())}. */
    public static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Reads JSON text back into Maps, Lists, Strings, Longs/Doubles, Booleans and nulls. */
    public static Object parse(String text) {
        return new JsonParser(text).document();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object v) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("expected a JSON object");
    }

    @SuppressWarnings("unchecked")
    public static List<Object> asList(Object v) {
        if (v instanceof List<?> l) return (List<Object>) l;
        throw new IllegalArgumentException("expected a JSON array");
    }
}
