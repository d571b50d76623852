package dev.vmtrust.vm.provision;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * A provision YAML text composed into SnakeYAML nodes: the top-level mapping, the "provision" key
 * and its items, and which items are vmtrust's (script's first line starts with the marker).
 * Parsing throws {@link ProvisionYamlException} for anything vmtrust must not edit.
 */
final class ProvisionDoc {
    static final String FIX = "; fix the file, vmtrust will not edit it";

    final SourceText src;
    /** The top-level mapping, or null for an empty document. */
    final MappingNode root;
    /** The "provision" key and value, or null when the key is absent. */
    final NodeTuple provision;
    /** The provision items in order; empty unless the value is a list. */
    final List<Node> items;
    /** Indexes into {@link #items} of vmtrust's entries. */
    final List<Integer> managed;

    private ProvisionDoc(SourceText src, MappingNode root, NodeTuple provision) {
        this.src = src;
        this.root = root;
        this.provision = provision;
        this.items = provision != null && provision.getValueNode() instanceof SequenceNode seq
                ? List.copyOf(seq.getValue())
                : List.of();
        List<Integer> ours = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (isManaged(items.get(i))) {
                ours.add(i);
            }
        }
        this.managed = List.copyOf(ours);
    }

    /**
     * SnakeYAML warns about duplicate keys through java.util.logging, whose console handler writes raw to
     * stderr, past vmtrust's logger. vmtrust reports what it cannot edit itself (a second "provision"), and the
     * user's other keys are Colima's business, so those warnings are off. Held here: java.util.logging keeps
     * loggers only weakly, and a collected logger would forget its level.
     */
    private static final java.util.logging.Logger SNAKEYAML = java.util.logging.Logger.getLogger("org.yaml.snakeyaml");

    static {
        SNAKEYAML.setLevel(java.util.logging.Level.OFF);
    }

    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024); // scripts embed CA bundles; default is 3 MB
        return options;
    }

    static ProvisionDoc parse(String text) throws ProvisionYamlException {
        SourceText src = new SourceText(text);
        checkLineBreaks(text);
        Node node = composeSingle(text);
        if (node == null) {
            return new ProvisionDoc(src, null, null);
        }
        if (!(node instanceof MappingNode root)) {
            throw at(node, "the top level is " + describe(node) + ", expected a mapping" + FIX);
        }
        NodeTuple provision = null;
        for (NodeTuple tuple : root.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("provision")) {
                if (provision != null) {
                    throw at(
                            key,
                            "\"provision\" appears twice (first at line "
                                    + (provision.getKeyNode().getStartMark().getLine() + 1) + "); keep one"
                                    + ", vmtrust will not edit the file until then");
                }
                provision = tuple;
            }
        }
        if (provision != null) {
            Node value = provision.getValueNode();
            boolean isNull = value instanceof ScalarNode && value.getTag().equals(Tag.NULL);
            if (!isNull && !(value instanceof SequenceNode)) {
                throw at(value, "\"provision\" is " + describe(value) + ", expected a list" + FIX);
            }
            if (src.offset(value.getStartMark())
                    < src.offset(provision.getKeyNode().getEndMark())) {
                // an alias node is the anchored node itself, with the anchor's marks
                throw at(
                        provision.getKeyNode(),
                        "\"provision\" is an alias (*name) of a list defined"
                                + " elsewhere; write the list out under \"provision\", vmtrust will not edit it");
            }
        }
        return new ProvisionDoc(src, root, provision);
    }

    /** Refuses line breaks other than LF and CR LF: line splicing here assumes "\n". */
    private static void checkLineBreaks(String text) throws ProvisionYamlException {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean loneCr = c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n');
            if (loneCr || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                throw new ProvisionYamlException(
                        String.format(
                                "the file uses the line break U+%04X;"
                                        + " save it with LF or CR LF line endings, vmtrust will not edit it",
                                (int) c),
                        line,
                        i - lineStart + 1);
            }
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
    }

    private static Node composeSingle(String text) throws ProvisionYamlException {
        try {
            Iterator<Node> docs =
                    new Yaml(loaderOptions()).composeAll(new StringReader(text)).iterator();
            Node first = docs.hasNext() ? docs.next() : null;
            if (docs.hasNext()) {
                Node second = docs.next();
                throw at(
                        second,
                        "the file holds more than one YAML document; vmtrust edits only"
                                + " single-document files and will not edit it");
            }
            return first;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new ProvisionYamlException(
                    "invalid YAML: " + oneLine(problem) + FIX,
                    mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1,
                    null,
                    e);
        } catch (ReaderException e) {
            int[] lc = lineColumnOfCodePoint(text, e.getPosition());
            throw new ProvisionYamlException(
                    String.format("invalid YAML: the character U+%04X is not" + " allowed%s", e.getCodePoint(), FIX),
                    lc[0],
                    lc[1],
                    null,
                    e);
        } catch (YAMLException e) {
            throw new ProvisionYamlException("invalid YAML: " + oneLine(e.getMessage()) + FIX, 1, 1, null, e);
        }
    }

    static boolean isManaged(Node item) {
        String script = scriptOf(item);
        return script != null && script.startsWith(ProvisionEditor.MARKER);
    }

    /** The "script" string of an item, or null. */
    static String scriptOf(Node item) {
        if (item instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key
                        && key.getValue().equals("script")
                        && tuple.getValueNode() instanceof ScalarNode value) {
                    return value.getValue();
                }
            }
        }
        return null;
    }

    /** True when item is exactly {mode: system, script: script}. */
    static boolean isExactly(Node item, String script) {
        if (!(item instanceof MappingNode map) || map.getValue().size() != 2) {
            return false;
        }
        NodeTuple mode = map.getValue().get(0);
        return mode.getKeyNode() instanceof ScalarNode key
                && key.getValue().equals("mode")
                && mode.getValueNode() instanceof ScalarNode value
                && value.getValue().equals("system")
                && value.getTag().equals(Tag.STR)
                && script.equals(scriptOf(item));
    }

    static ProvisionYamlException at(Node node, String problem) {
        Mark mark = node.getStartMark();
        return new ProvisionYamlException(problem, mark.getLine() + 1, mark.getColumn() + 1);
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        return "a single value (" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + ")";
    }

    private static String oneLine(String s) {
        return s == null ? "unknown problem" : s.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    private static int[] lineColumnOfCodePoint(String text, int codePoint) {
        int line = 1;
        int column = 1;
        for (int i = 0, cp = 0; i < text.length() && cp < codePoint; cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
