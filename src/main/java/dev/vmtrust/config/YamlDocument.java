package dev.vmtrust.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses one config document with SnakeYAML's SafeConstructor (standard YAML types only), refusing
 * duplicate keys, capping size, nesting and aliases. Only {@code true}/{@code false} are booleans:
 * YAML 1.1's {@code yes}, {@code no}, {@code on}, {@code off} stay strings, so a typo cannot flip a switch.
 */
final class YamlDocument {
    /** A config file is a few hundred bytes; anything near this is the wrong file. */
    static final int MAX_CHARS = 1 << 20;

    private YamlDocument() {}

    /** The top-level mapping (empty for an empty document), or empty with a problem recorded. */
    static Optional<Map<?, ?>> parse(String text, Problems p) {
        Object doc;
        try {
            doc = yaml().load(text);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
            p.add("", "invalid YAML" + where + ": " + problemText(e));
            return Optional.empty();
        } catch (YAMLException e) {
            p.add("", "invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
        if (doc == null) return Optional.of(Map.of());
        if (doc instanceof Map<?, ?> m) return Optional.of(m);
        p.add("", "expected a mapping of keys at the top level, got " + YamlValues.describe(doc));
        return Optional.empty();
    }

    private static String problemText(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
        if (problem == null) return "cannot parse";
        // SnakeYAML: "found duplicate key resync"
        if (problem.startsWith("found duplicate key ")) {
            return "duplicate key \"" + problem.substring("found duplicate key ".length()) + "\"";
        }
        // SnakeYAML's context is either "while parsing ..." (noise) or the first half of the sentence.
        String context = e.getContext();
        if (e.getProblem() != null && context != null && !context.startsWith("while ")) {
            return context.strip() + ", " + problem.strip();
        }
        return problem.strip();
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_CHARS);
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, new BooleanWords());
    }

    /** The standard resolver, except that only true/True/TRUE/false/False/FALSE are booleans. */
    private static final class BooleanWords extends Resolver {
        private static final Pattern TRUE_FALSE = Pattern.compile("true|True|TRUE|false|False|FALSE");

        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            if (implicit && Tag.BOOL.equals(tag) && !TRUE_FALSE.matcher(value).matches()) return Tag.STR;
            return tag;
        }
    }
}
