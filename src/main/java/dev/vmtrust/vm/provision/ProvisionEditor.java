package dev.vmtrust.vm.provision;

import java.util.Optional;

/**
 * Pure edits of vmtrust's own entry in a provision YAML text (Colima's colima.yaml, Lima's
 * lima.yaml). The entry is {mode: system, script: ...} in the top-level "provision" list and is
 * recognised only by its script's first line starting with {@link #MARKER} (Colima drops YAML
 * comments). Everything else in the text is kept byte for byte; each edit is verified by
 * re-parsing before it is returned.
 */
public final class ProvisionEditor {
    /** The start of the first line of every vmtrust provision script. */
    public static final String MARKER = "# vmtrust: managed entry, do not edit";

    private ProvisionEditor() {}

    /** The full marker line for a bundle fingerprint (lowercase hex). */
    public static String markerLine(String bundleHex) {
        return MARKER + " (bundle sha256:" + bundleHex + ")";
    }

    /**
     * Returns the text with exactly one vmtrust entry whose script is {@code script}: inserted,
     * replaced (duplicates removed), or, when already current, the very same String with
     * {@code changed == false}.
     *
     * @throws IllegalArgumentException when script does not start with {@link #MARKER} or holds
     *     characters a YAML literal block cannot hold (CR, control characters)
     * @throws ProvisionYamlException for invalid YAML, several documents, a top level that is not a
     *     mapping, a "provision" that is not a list or null, or an edit that fails verification
     */
    public static Edit upsert(String yamlText, String script) throws ProvisionYamlException {
        ScriptBlock.check(script);
        ProvisionDoc doc = ProvisionDoc.parse(yamlText);
        if (doc.managed.size() == 1 && ProvisionDoc.isExactly(doc.items.get(doc.managed.get(0)), script)) {
            return new Edit(yamlText, false);
        }
        String out = YamlSplice.upsert(doc, script);
        ProvisionVerifier.verifyUpsert(doc, out, script);
        return new Edit(out, true);
    }

    /** Removes every vmtrust entry; other entries are untouched. Unchanged when there is none. */
    public static Edit remove(String yamlText) throws ProvisionYamlException {
        ProvisionDoc doc = ProvisionDoc.parse(yamlText);
        if (doc.managed.isEmpty()) {
            return new Edit(yamlText, false);
        }
        String out = YamlSplice.remove(doc);
        ProvisionVerifier.verifyRemove(doc, out);
        return new Edit(out, true);
    }

    /** The script of the first vmtrust entry, if any. */
    public static Optional<String> currentScript(String yamlText) throws ProvisionYamlException {
        ProvisionDoc doc = ProvisionDoc.parse(yamlText);
        return doc.managed.isEmpty()
                ? Optional.empty()
                : Optional.of(ProvisionDoc.scriptOf(doc.items.get(doc.managed.get(0))));
    }
}
