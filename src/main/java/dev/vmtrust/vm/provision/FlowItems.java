package dev.vmtrust.vm.provision;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The items of a flow "provision" list ([a, b]) as text ranges. Flow items' marks are exact. A
 * flow list with comments inside, or with alias items (whose marks point at the anchor), is
 * refused: its text cannot be moved without losing or corrupting something.
 */
final class FlowItems {
    private FlowItems() {}

    /** The source text of every item that is not vmtrust's; empty when provision is null. */
    static List<String> keptTexts(ProvisionDoc doc) throws ProvisionYamlException {
        List<String> texts = new ArrayList<>();
        if (doc.provision.getValueNode() instanceof SequenceNode) {
            int[][] ranges = ranges(doc);
            for (int i = 0; i < ranges.length; i++) {
                if (!doc.managed.contains(i)) {
                    texts.add(doc.src.slice(ranges[i][0], ranges[i][1]));
                }
            }
        }
        return texts;
    }

    /**
     * Ranges to delete so that vmtrust's items and their separating commas go: a run of managed
     * items is deleted up to the next kept item's start, or, at the end, from the previous kept
     * item's end. When every item is managed, the inside of the brackets goes.
     */
    static List<int[]> managedRanges(ProvisionDoc doc) throws ProvisionYamlException {
        int[][] ranges = ranges(doc);
        List<int[]> out = new ArrayList<>();
        if (doc.managed.size() == ranges.length) {
            SequenceNode seq = (SequenceNode) doc.provision.getValueNode();
            out.add(new int[] {doc.src.offset(seq.getStartMark()) + 1, doc.src.offset(seq.getEndMark()) - 1});
            return out;
        }
        for (int i = 0; i < ranges.length; ) {
            if (!doc.managed.contains(i)) {
                i++;
                continue;
            }
            int last = i;
            while (last + 1 < ranges.length && doc.managed.contains(last + 1)) {
                last++;
            }
            out.add(
                    last + 1 < ranges.length
                            ? new int[] {ranges[i][0], ranges[last + 1][0]}
                            : new int[] {ranges[i - 1][1], ranges[last][1]});
            i = last + 1;
        }
        return out;
    }

    private static int[][] ranges(ProvisionDoc doc) throws ProvisionYamlException {
        SourceText src = doc.src;
        SequenceNode seq = (SequenceNode) doc.provision.getValueNode();
        int gapStart = src.offset(seq.getStartMark()) + 1; // after "["
        int seqEnd = src.offset(seq.getEndMark()) - 1; // at "]"
        int[][] ranges = new int[doc.items.size()][];
        for (int i = 0; i < ranges.length; i++) {
            Node item = doc.items.get(i);
            int start = src.offset(item.getStartMark());
            int end = src.offset(item.getEndMark());
            if (start < gapStart || end > seqEnd) {
                throw ProvisionDoc.at(
                        item,
                        "a \"provision\" item is an alias (*name); write it out in"
                                + " full, vmtrust will not edit the list until then");
            }
            checkNoComment(src, gapStart, start, seq);
            ranges[i] = new int[] {start, end};
            gapStart = end;
        }
        checkNoComment(src, gapStart, seqEnd, seq);
        return ranges;
    }

    private static void checkNoComment(SourceText src, int from, int to, Node seq) throws ProvisionYamlException {
        int hash = src.slice(from, to).indexOf('#');
        if (hash >= 0) {
            throw ProvisionDoc.at(
                    seq,
                    "\"provision\" is a flow list [...] with comments inside;"
                            + " rewrite it as a block list (\"- mode: ...\" lines), vmtrust will not edit it");
        }
    }
}
