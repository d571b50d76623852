package dev.vmtrust.vm.provision;

import dev.vmtrust.platform.BoundedFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The memory limit of an edit, checked on the bytes before anything is parsed. Parsing costs memory by the
 * YAML nodes, not by the bytes: vmtrust's own entry is one scalar (cheap however many CAs it holds), the
 * user's part is as many nodes as it has keys. Under the installed heap (-Xmx64m) an edit of a YAML with
 * 1 MiB of dense keys fails, 512 KiB with a 1000-CA entry fits; a real colima.yaml is under 20 KB. So the
 * user's part (the file without vmtrust's entries) is capped at {@link #USER_PART}, the whole file at
 * {@link BoundedFiles#PROVISION_YAML}.
 */
final class YamlBudget {
    static final long USER_PART = 512 * BoundedFiles.KIB;
    private static final byte[] MARKER = ProvisionEditor.MARKER.getBytes(StandardCharsets.US_ASCII);

    private YamlBudget() {}

    static void check(Path file, byte[] bytes) throws BoundedFiles.RefusedFileException {
        long user = bytes.length - entryBytes(bytes);
        if (user > USER_PART) {
            throw new BoundedFiles.RefusedFileException(file + ": " + BoundedFiles.size(user) + " of YAML beside"
                    + " vmtrust's entry is over the " + BoundedFiles.size(USER_PART) + " limit for a provision YAML;"
                    + " vmtrust leaves it as it is");
        }
    }

    /**
     * The bytes of the lines of vmtrust's entries: each marker line and the lines after it that are blank or
     * indented at least as deep (the rest of its literal block). An estimate for the limit only, not a parse.
     */
    static long entryBytes(byte[] b) {
        long total = 0;
        int blockIndent = -1;
        for (int start = 0; start < b.length; ) {
            int end = start;
            while (end < b.length && b[end] != '\n') end++;
            int indent = 0;
            while (start + indent < end && b[start + indent] == ' ') indent++;
            boolean blank = start + indent >= end || (end - start - indent == 1 && b[end - 1] == '\r');
            if (blockIndent >= 0 && !blank && indent < blockIndent) blockIndent = -1;
            if (blockIndent < 0 && startsWith(b, start + indent, end, MARKER)) blockIndent = indent;
            if (blockIndent >= 0) total += Math.min(b.length, end + 1) - start;
            start = end + 1;
        }
        return total;
    }

    private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[from + i] != prefix[i]) return false;
        return true;
    }
}
