package dev.vmtrust.vm.provision;

/**
 * Renders vmtrust's provision item as block YAML: {@code - mode: system} and {@code script:} as a
 * literal block scalar whose header ({@code |}, {@code |-}, {@code |+}, with an indentation
 * indicator when the first line starts with blanks) makes the script text round-trip exactly.
 */
final class ScriptBlock {
    private ScriptBlock() {}

    /**
     * Checks that script is ours and can be written as a literal block: it starts with the marker
     * and holds only YAML-printable characters and "\n" line breaks (no CR, NEL, U+2028/U+2029,
     * which YAML would turn into "\n").
     */
    static void check(String script) {
        if (!script.startsWith(ProvisionEditor.MARKER)) {
            throw new IllegalArgumentException("provision script must start with \"" + ProvisionEditor.MARKER
                    + "\" on its first line, or vmtrust will not recognise it");
        }
        for (int i = 0; i < script.length(); ) {
            int c = script.codePointAt(i);
            boolean printable = c == '\t'
                    || c == '\n'
                    || (c >= 0x20 && c <= 0x7E)
                    || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029)
                    || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!printable) {
                throw new IllegalArgumentException(String.format(
                        "provision script has the character"
                                + " U+%04X at offset %d, which a YAML literal block cannot hold",
                        c, i));
            }
            i += Character.charCount(c);
        }
    }

    /** The item's lines: "- mode: system" at dashColumn, the script 4 columns deeper. */
    static String item(String script, int dashColumn, String eol) {
        String pad = " ".repeat(dashColumn);
        StringBuilder out = new StringBuilder();
        out.append(pad).append("- mode: system").append(eol);
        out.append(pad).append("  script: ").append(header(script)).append(eol);
        if (!script.isEmpty()) {
            String body = script.endsWith("\n") ? script.substring(0, script.length() - 1) : script;
            for (String line : body.split("\n", -1)) {
                if (!line.isEmpty()) {
                    out.append(pad).append("    ").append(line);
                }
                out.append(eol);
            }
        }
        return out.toString();
    }

    /** "|" plus an indentation indicator when needed and the chomping indicator. */
    static String header(String script) {
        String indent = "";
        for (String line : script.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            // YAML guesses the indentation from the first non-empty line: a leading blank breaks that.
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                indent = "2";
            }
            break;
        }
        String chomp;
        if (!script.endsWith("\n")) {
            chomp = "-";
        } else if (script.endsWith("\n\n") || script.equals("\n")) {
            chomp = "+";
        } else {
            chomp = "";
        }
        return "|" + indent + chomp;
    }
}
