package dev.vmtrust.vm.provision;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where each item of a block sequence sits in the text, as whole lines: from the line of its "-"
 * to the end of its last content line. SnakeYAML's end marks run on over the blank lines and
 * comments that follow a collection (up to the next token), so the end is found by walking back
 * over blank lines and over comment lines no deeper than the "-" (a deeper "#" line may be block
 * scalar content). A block scalar with keep chomping ("|+") owns its trailing blank lines.
 */
final class BlockLayout {
    private final SourceText src;
    private final List<Node> items;
    private final int dashColumn;
    private final int seqEnd;

    BlockLayout(SourceText src, SequenceNode seq) throws ProvisionYamlException {
        this.src = src;
        this.items = seq.getValue();
        this.seqEnd = src.offset(seq.getEndMark());
        int previous = src.offset(seq.getStartMark());
        for (Node item : items) {
            int start = src.offset(item.getStartMark());
            if (start < previous || src.offset(item.getEndMark()) > seqEnd) {
                throw ProvisionDoc.at(
                        item,
                        "a \"provision\" item is an alias (*name); write it out in"
                                + " full, vmtrust will not edit the list until then");
            }
            previous = start;
        }
        this.dashColumn = firstDashColumn(seq);
    }

    /**
     * The column of the first "-". Not the sequence's start mark: with an anchor or tag
     * ("provision: &p") that mark is at the anchor, on the key's line.
     */
    private int firstDashColumn(SequenceNode seq) {
        int floor = src.offset(seq.getStartMark());
        int line = src.lineStart(src.offset(items.get(0).getStartMark()));
        while (true) {
            int i = line;
            while (i < src.length() && src.charAt(i) == ' ') {
                i++;
            }
            if (i < src.length()
                    && src.charAt(i) == '-'
                    && (i + 1 == src.length() || " \t\r\n".indexOf(src.charAt(i + 1)) >= 0)) {
                return i - line;
            }
            if (line <= floor || line == 0) {
                return seq.getStartMark().getColumn();
            }
            line = src.lineStart(line - 1);
        }
    }

    int dashColumn() {
        return dashColumn;
    }

    /** Offset of the start of the line holding item i's "-". */
    int itemStart(int i) throws ProvisionYamlException {
        int floor = i == 0 ? 0 : src.offset(items.get(i - 1).getStartMark());
        int line = src.lineStart(src.offset(items.get(i).getStartMark()));
        while (line >= floor) {
            if (isDashLine(line)) {
                return line;
            }
            if (line == 0) {
                break;
            }
            line = src.lineStart(line - 1);
        }
        throw ProvisionDoc.at(
                items.get(i), "cannot find the \"-\" of this \"provision\" item;" + " vmtrust will not edit the list");
    }

    private boolean isDashLine(int line) {
        int dash = line + dashColumn;
        if (dash >= src.length() || src.charAt(dash) != '-' || !src.isBlank(line, dash)) {
            return false;
        }
        int after = dash + 1;
        return after == src.length() || " \t\r\n".indexOf(src.charAt(after)) >= 0;
    }

    /** Offset just after item i's last content line (a line start, or the text's end). */
    int itemEnd(int i) throws ProvisionYamlException {
        int bound = i + 1 < items.size() ? itemStart(i + 1) : seqEnd;
        int floor = Math.max(src.nextLineStart(src.offset(items.get(i).getStartMark())), keptScalarEnd(items.get(i)));
        int end = bound;
        while (end > floor) {
            int line = src.lineStart(end - 1);
            int comment = src.commentColumn(line, end);
            if (line < floor || !(src.isBlank(line, end) || (comment >= 0 && comment <= dashColumn))) {
                break;
            }
            end = line;
        }
        return Math.max(end, Math.min(floor, bound));
    }

    /** The largest end offset of a "|+" / ">+" block scalar inside node, or 0. */
    private int keptScalarEnd(Node node) {
        int end = 0;
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Node> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (seen.put(n, Boolean.TRUE) != null) {
                continue;
            }
            if (n instanceof ScalarNode s && isKeepBlock(s)) {
                end = Math.max(end, Math.min(src.offset(s.getEndMark()), seqEnd));
            } else if (n instanceof SequenceNode s) {
                todo.addAll(s.getValue());
            } else if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    todo.push(t.getKeyNode());
                    todo.push(t.getValueNode());
                }
            }
        }
        return end;
    }

    private boolean isKeepBlock(ScalarNode s) {
        if (s.getScalarStyle() != ScalarStyle.LITERAL && s.getScalarStyle() != ScalarStyle.FOLDED) {
            return false;
        }
        int start = src.offset(s.getStartMark()); // the indicator, or an anchor or tag before it
        int lineEnd = src.nextLineStart(start);
        while (start < lineEnd && src.charAt(start) != '|' && src.charAt(start) != '>') {
            start++;
        }
        for (int i = start + 1; i < lineEnd && " \t\r\n#".indexOf(src.charAt(i)) < 0; i++) {
            if (src.charAt(i) == '+') {
                return true;
            }
        }
        return false;
    }
}
