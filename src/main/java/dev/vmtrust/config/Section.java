package dev.vmtrust.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One YAML mapping at a key path. Getters return the default when a key is absent or null, and
 * otherwise convert the value, recording a problem (and returning the default) when it is invalid,
 * so that every problem in the file is found in one pass.
 */
final class Section {
    private final String path;
    private final Map<?, ?> map;
    private final Problems problems;

    Section(String path, Map<?, ?> map, Problems problems) {
        this.path = path;
        this.map = map;
        this.problems = problems;
    }

    /** Reports every key not in {@code known} as unknown, suggesting a close known key. */
    Section expect(String... known) {
        List<String> names = Arrays.asList(known);
        for (Object key : map.keySet()) {
            String name = String.valueOf(key);
            if (key instanceof String && names.contains(name)) continue;
            String hint = KeyNames.suggest(name, names)
                    .map(s -> "did you mean \"" + s + "\"?")
                    .orElse("expected one of: " + String.join(", ", names));
            problems.add(at(name), "unknown key; " + hint);
        }
        return this;
    }

    /** The child mapping at {@code key}; empty when absent or null, or (with a problem) not a mapping. */
    Section section(String key) {
        Object v = map.get(key);
        if (v instanceof Map<?, ?> m) return new Section(at(key), m, problems);
        if (v != null) problems.add(at(key), "expected a mapping of keys, got " + YamlValues.describe(v));
        return new Section(at(key), Map.of(), problems);
    }

    /** The value at {@code key} converted by {@code convert(keyPath, value, problems)}, else {@code def}. */
    <T> T get(String key, T def, Converter<T> convert) {
        Object v = map.get(key);
        if (v == null) return def;
        return convert.apply(at(key), v, problems).orElse(def);
    }

    /** A list at {@code key} whose elements are converted one by one; the default if any is invalid. */
    <T> List<T> list(String key, List<T> def, Converter<T> element) {
        return get(key, def, (at, v, p) -> YamlValues.list(at, v, p, element));
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Converts one YAML value found at a key path, recording problems; empty when invalid. */
    @FunctionalInterface
    interface Converter<T> {
        Optional<T> apply(String at, Object value, Problems problems);
    }
}
