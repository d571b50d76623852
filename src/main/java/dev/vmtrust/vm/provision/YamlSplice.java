package dev.vmtrust.vm.provision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Computes the new text by splicing the original: only the lines of vmtrust's item are replaced,
 * inserted or deleted; every other byte is kept. Positions come from SnakeYAML marks. A "provision"
 * that is null or a flow list ("[]", Colima's default) is rewritten as a block list after the
 * key's line, keeping the other items' text as flow items ("- {mode: user, ...}").
 */
final class YamlSplice {
    private record Splice(int start, int end, String text) {}

    private YamlSplice() {}

    static String upsert(ProvisionDoc doc, String script) throws ProvisionYamlException {
        SourceText src = doc.src;
        String eol = src.eol();
        List<Splice> splices = new ArrayList<>();
        if (doc.root == null) {
            splices.add(insert(src, src.length(), "provision:" + eol + ScriptBlock.item(script, 2, eol)));
        } else if (doc.provision == null) {
            requireBlockRoot(doc);
            int column = doc.root.getStartMark().getColumn();
            String text = " ".repeat(column) + "provision:" + eol + ScriptBlock.item(script, column + 2, eol);
            splices.add(insert(src, src.offset(doc.root.getEndMark()), text));
        } else if (doc.provision.getValueNode() instanceof SequenceNode seq && seq.getFlowStyle() == FlowStyle.BLOCK) {
            BlockLayout layout = new BlockLayout(src, seq);
            String item = ScriptBlock.item(script, layout.dashColumn(), eol);
            if (doc.managed.isEmpty()) {
                splices.add(insert(src, layout.itemEnd(doc.items.size() - 1), item));
            } else {
                for (int i : doc.managed) {
                    String text = i == doc.managed.get(0) ? item : "";
                    splices.add(new Splice(layout.itemStart(i), layout.itemEnd(i), text));
                }
            }
        } else {
            requireBlockRoot(doc);
            Node value = doc.provision.getValueNode();
            int dashColumn = doc.provision.getKeyNode().getStartMark().getColumn() + 2;
            StringBuilder block = new StringBuilder();
            for (String other : FlowItems.keptTexts(doc)) {
                block.append(" ".repeat(dashColumn)).append("- ").append(other).append(eol);
            }
            block.append(ScriptBlock.item(script, dashColumn, eol));
            int colonEnd = colonEnd(doc);
            int valueStart = src.offset(value.getStartMark());
            int valueEnd = src.offset(value.getEndMark());
            if (valueEnd > valueStart) {
                splices.add(new Splice(colonEnd, valueEnd, ""));
            }
            splices.add(insert(src, src.nextLineStart(Math.max(colonEnd, valueEnd)), block.toString()));
        }
        return apply(src.text, splices);
    }

    static String remove(ProvisionDoc doc) throws ProvisionYamlException {
        if (doc.managed.isEmpty()) {
            return doc.src.text;
        }
        SequenceNode seq = (SequenceNode) doc.provision.getValueNode();
        List<Splice> splices = new ArrayList<>();
        if (seq.getFlowStyle() == FlowStyle.BLOCK) {
            BlockLayout layout = new BlockLayout(doc.src, seq);
            for (int i : doc.managed) {
                splices.add(new Splice(layout.itemStart(i), layout.itemEnd(i), ""));
            }
            if (doc.managed.size() == doc.items.size()) {
                int at = afterProperties(doc, seq); // the list is now empty: say so, as Colima writes it
                splices.add(new Splice(at, at, " []"));
            }
        } else {
            for (int[] range : FlowItems.managedRanges(doc)) {
                splices.add(new Splice(range[0], range[1], ""));
            }
        }
        return apply(doc.src.text, splices);
    }

    /** Inserts text at offset, starting a new line first when offset is mid-line (no final EOL). */
    private static Splice insert(SourceText src, int offset, String text) {
        return new Splice(offset, offset, src.isLineStart(offset) ? text : src.eol() + text);
    }

    private static void requireBlockRoot(ProvisionDoc doc) throws ProvisionYamlException {
        if (doc.root.getFlowStyle() == FlowStyle.FLOW) {
            throw ProvisionDoc.at(
                    doc.root,
                    "the top-level mapping is written in flow style {...};"
                            + " rewrite it in block style, vmtrust will not edit it");
        }
    }

    /** Offset just after the ":" that follows the "provision" key. */
    private static int colonEnd(ProvisionDoc doc) throws ProvisionYamlException {
        SourceText src = doc.src;
        for (int i = src.offset(doc.provision.getKeyNode().getEndMark()); i < src.length(); i++) {
            char c = src.charAt(i);
            if (c == ':') {
                return i + 1;
            }
            if (" \t\r\n".indexOf(c) < 0) {
                break;
            }
        }
        throw ProvisionDoc.at(
                doc.provision.getKeyNode(),
                "cannot find the \":\" after \"provision\";"
                        + " write it as \"provision:\", vmtrust will not edit it until then");
    }

    /** Offset after the list's anchor and tag ("provision: &p !!seq"), or after the ":". */
    private static int afterProperties(ProvisionDoc doc, SequenceNode seq) throws ProvisionYamlException {
        SourceText src = doc.src;
        int at = src.offset(seq.getStartMark());
        if (src.charAt(at) == '-') {
            return colonEnd(doc);
        }
        int end = at;
        while (at < src.length() && (src.charAt(at) == '&' || src.charAt(at) == '!')) {
            while (at < src.length() && " \t\r\n".indexOf(src.charAt(at)) < 0) {
                at++;
            }
            end = at;
            while (at < src.length() && (src.charAt(at) == ' ' || src.charAt(at) == '\t')) {
                at++;
            }
        }
        return end;
    }

    private static String apply(String text, List<Splice> splices) {
        List<Splice> sorted = new ArrayList<>(splices);
        sorted.sort(Comparator.comparingInt(Splice::start).thenComparingInt(Splice::end));
        StringBuilder out = new StringBuilder(text.length() + 4096);
        int at = 0;
        for (Splice s : sorted) {
            if (s.start() < at) {
                throw new IllegalStateException("overlapping splices at offset " + s.start());
            }
            out.append(text, at, s.start()).append(s.text());
            at = s.end();
        }
        return out.append(text, at, text.length()).toString();
    }
}
