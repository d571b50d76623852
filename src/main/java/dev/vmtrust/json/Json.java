package dev.vmtrust.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;

/**
 * vmtrust's JSON, through jackson-jr (on jackson-core, no databind), for its fixed output shapes: values are
 * {@code Map<String,?>} (insertion order kept, use LinkedHashMap), {@code List<?>} (any Iterable),
 * {@code String}, {@code Number}, {@code Boolean}, enums and null.
 *
 * <p>Written: compact, one line; null map values are written ({@code "hint":null}); Integer and Long as
 * integers, any other Number as its {@code double} value ({@code 1.0}); an enum as its lower-cased name. Strings
 * are safe in logs and terminals: {@code \" \\ \n \r \t} get their short escapes, every other character below
 * 0x20, DEL (0x7f) and everything above ASCII get {@code \}{@code u} with four lower-case hex digits (a character
 * beyond the BMP as its two surrogates). Any other type (a record, an Instant) is an IllegalArgumentException:
 * callers convert it themselves, so that the shape is visible at the call.
 *
 * <p>Read strictly (RFC 8259): no comments, single quotes, unknown escapes, raw control characters, leading
 * zeros or NaN; whitespace only space, tab, CR and LF; no duplicate keys; one value and nothing after it. The
 * result is Maps (LinkedHashMap, in document order), Lists (ArrayList), Strings, Longs, Doubles, Booleans and
 * nulls; an integer beyond 64 bits is refused. Every refusal is an IllegalArgumentException saying where.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            // as the writer before jackson did; vmtrust writes no NaN today (the strict reader refuses it)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .characterEscapes(new LogSafeEscapes())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final JSON JR = JSON.builder(FACTORY)
            .enable(
                    JSON.Feature.WRITE_NULL_PROPERTIES, JSON.Feature.FAIL_ON_UNKNOWN_TYPE_WRITE,
                    JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS, JSON.Feature.PRESERVE_FIELD_ORDERING)
            .disable(
                    JSON.Feature.HANDLE_JAVA_BEANS,
                    JSON.Feature.USE_DEFERRED_MAPS,
                    JSON.Feature.READ_ONLY,
                    JSON.Feature.FLUSH_AFTER_WRITE_VALUE)
            .register(new JacksonJrExtension() {
                @Override
                protected void register(ExtensionContext ctxt) {
                    ctxt.insertProvider(new VmtrustWriters());
                }
            })
            .build();

    private Json() {}

    public static String write(Object value) {
        try {
            return JR.asString(value);
        } catch (IOException e) { // only a value jackson-jr cannot write: nothing is written to a String
            throw new IllegalArgumentException("not a JSON value: " + e.getMessage(), e);
        }
    }

    /** Convenience for building ordered objects: {@code Json.obj("a", 1, "b", List.of())}. */
    public static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Reads JSON text (strictly, see the class comment) into Maps, Lists, Strings, Longs/Doubles, Booleans, nulls. */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            Object value = JR.anyFrom(p);
            if (p.nextToken() != null) throw invalid(p.currentTokenLocation(), "trailing text");
            return longs(value);
        } catch (JsonProcessingException e) {
            throw invalid(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) { // a String source has no I/O; kept for the checked signature
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
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

    private static IllegalArgumentException invalid(JsonLocation at, String what) {
        String where = at == null || at.getCharOffset() < 0 ? "" : " at offset " + at.getCharOffset();
        // jackson's messages may quote the input and span lines: one line, as every vmtrust message
        return new IllegalArgumentException("invalid JSON" + where + ": " + what.replaceAll("\\s*\\R\\s*", " "));
    }

    /** jackson-jr reads small integers as Integer: vmtrust's readers expect Long for every integer. */
    @SuppressWarnings("unchecked")
    private static Object longs(Object v) {
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof BigInteger) throw new IllegalArgumentException("invalid JSON: an integer beyond 64 bits");
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) e.setValue(longs(e.getValue()));
        } else if (v instanceof List<?> l) {
            for (ListIterator<Object> it = ((List<Object>) l).listIterator(); it.hasNext(); ) it.set(longs(it.next()));
        }
        return v;
    }

    /** Enums as lower-cased names; Numbers other than Integer and Long as doubles. Other types: jackson-jr's. */
    private static final class VmtrustWriters extends ReaderWriterProvider {
        @Override
        public ValueWriter findValueWriter(JSONWriter ctxt, Class<?> type) {
            if (Enum.class.isAssignableFrom(type))
                return writer(type, (g, v) -> g.writeString(((Enum<?>) v).name().toLowerCase(Locale.ROOT)));
            if (Number.class.isAssignableFrom(type) && type != Integer.class && type != Long.class) {
                return writer(type, (g, v) -> g.writeNumber(((Number) v).doubleValue()));
            }
            return null;
        }

        private interface Write {
            void write(JsonGenerator g, Object v) throws IOException;
        }

        private static ValueWriter writer(Class<?> type, Write w) {
            return new ValueWriter() {
                @Override
                public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
                    w.write(g, value);
                }

                @Override
                public Class<?> valueType() {
                    return type;
                }
            };
        }
    }

    /**
     * JSON's standard escapes, except that backspace and form feed get {@code \}{@code u0008}/{@code \}{@code u000c}
     * instead of {@code \b}/{@code \f} and DEL is escaped too (what vmtrust wrote before jackson). Above ASCII,
     * {@link JsonWriteFeature#ESCAPE_NON_ASCII} does the escaping.
     */
    private static final class LogSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = java.util.Arrays.copyOf(standardAsciiEscapesForJSON(), 128);

        LogSafeEscapes() {
            ascii['\b'] = ESCAPE_STANDARD;
            ascii['\f'] = ESCAPE_STANDARD;
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializedString getEscapeSequence(int ch) {
            return null;
        }
    }
}
