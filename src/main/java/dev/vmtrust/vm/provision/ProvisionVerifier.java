package dev.vmtrust.vm.provision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Re-parses an edit and refuses it unless the data is what was meant: every key other than
 * "provision" is equal and in the same order, the provision items that are not vmtrust's are
 * equal and in the same order, and vmtrust's entries are exactly {mode: system, script} (upsert)
 * or gone (remove). A refused edit is a bug in the splice; nothing is written.
 */
final class ProvisionVerifier {
    private ProvisionVerifier() {}

    static void verifyUpsert(ProvisionDoc before, String after, String script) throws ProvisionYamlException {
        List<Object> ours = compare(before, after);
        if (!ours.equals(List.of(Map.of("mode", "system", "script", script)))) {
            throw refused(
                    before,
                    ours.isEmpty()
                            ? "the new entry does not read back"
                            : ours.size() > 1
                                    ? "the result has " + ours.size() + " vmtrust entries"
                                    : "the new entry reads back different from the script");
        }
    }

    static void verifyRemove(ProvisionDoc before, String after) throws ProvisionYamlException {
        if (!compare(before, after).isEmpty()) {
            throw refused(before, "a vmtrust entry is still there");
        }
    }

    /** Checks everything but vmtrust's entries, and returns the entries found in after. */
    private static List<Object> compare(ProvisionDoc before, String after) throws ProvisionYamlException {
        Map<Object, Object> old = load(before, before.src.text);
        Map<Object, Object> now;
        try {
            now = load(before, after);
        } catch (ProvisionYamlException e) {
            throw refused(before, "the result is not valid YAML (" + e.getMessage() + ")");
        }
        List<Object> oldItems = items(before, old.remove("provision"));
        List<Object> newItems = items(before, now.remove("provision"));
        if (!new ArrayList<>(old.keySet()).equals(new ArrayList<>(now.keySet()))) {
            throw refused(before, "the other keys changed");
        }
        if (!old.equals(now)) {
            throw refused(before, "the values of other keys changed");
        }
        List<Object> ours = new ArrayList<>();
        List<Object> oldOthers = others(oldItems, new ArrayList<>());
        List<Object> newOthers = others(newItems, ours);
        if (!oldOthers.equals(newOthers)) {
            throw refused(before, "the other provision entries changed");
        }
        return ours;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> load(ProvisionDoc doc, String text) throws ProvisionYamlException {
        Object data;
        try {
            data = new Yaml(new SafeConstructor(ProvisionDoc.loaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ProvisionYamlException(
                    "the data cannot be read ("
                            + e.getMessage().replaceAll("\\s*\\n\\s*", " ").trim() + ")" + ProvisionDoc.FIX,
                    1,
                    1,
                    null,
                    e);
        }
        if (data == null) {
            return new LinkedHashMap<>();
        }
        if (!(data instanceof Map)) {
            throw refused(doc, "the top level is no longer a mapping");
        }
        return new LinkedHashMap<>((Map<Object, Object>) data);
    }

    private static List<Object> items(ProvisionDoc doc, Object value) throws ProvisionYamlException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw refused(doc, "\"provision\" is no longer a list");
    }

    /** The items that are not vmtrust's; vmtrust's go to ours. */
    private static List<Object> others(List<Object> items, List<Object> ours) {
        List<Object> others = new ArrayList<>();
        for (Object item : items) {
            boolean managed = item instanceof Map<?, ?> map
                    && map.get("script") instanceof String s
                    && s.startsWith(ProvisionEditor.MARKER);
            (managed ? ours : others).add(item);
        }
        return others;
    }

    private static ProvisionYamlException refused(ProvisionDoc doc, String why) {
        int line = 1;
        int column = 1;
        if (doc.provision != null) {
            line = doc.provision.getKeyNode().getStartMark().getLine() + 1;
            column = doc.provision.getKeyNode().getStartMark().getColumn() + 1;
        }
        return new ProvisionYamlException(
                "vmtrust could not edit \"provision\" safely (" + why
                        + "); the file was not changed; add the entry by hand or report this as a vmtrust bug",
                line,
                column);
    }
}
