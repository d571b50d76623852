package dev.vmtrust.trust;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits PEM text into its {@code -----BEGIN X-----} ... {@code -----END X-----} blocks, numbered from 1
 * over every BEGIN line. LF or CRLF; text between blocks is ignored.
 *
 * <p>Contract: the lines of a private-key block (any type containing {@code PRIVATE KEY}, in its BEGIN or
 * its END line) are dropped as they are scanned; such a block carries no text, so key bytes never leave
 * this class. A key block ends at its END line, at the next BEGIN line, or at the end of the input.
 */
final class PemBlocks {
    enum Shape {
        CLOSED,
        UNCLOSED,
        MISMATCHED,
        PRIVATE_KEY
    }

    /** {@code text} is the block rebuilt with LF endings, or null for private keys. */
    record Block(int number, String type, Shape shape, String text) {}

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";

    private PemBlocks() {}

    static boolean isPrivateKeyType(String type) {
        return type.toUpperCase(Locale.ROOT).contains("PRIVATE KEY");
    }

    static List<Block> scan(String text) {
        List<Block> out = new ArrayList<>();
        int number = 0;
        String type = null; // BEGIN type of the open block, null outside blocks
        StringBuilder body = null; // null while inside a private-key block
        for (String line : text.split("\n", -1)) {
            int b = line.indexOf(BEGIN);
            if (b >= 0) {
                if (type != null) out.add(closeOpen(number, type, body, Shape.UNCLOSED));
                number++;
                type = typeAfter(line, b + BEGIN.length());
                body = isPrivateKeyType(type) ? null : new StringBuilder("-----BEGIN " + type + "-----\n");
                continue;
            }
            if (type == null) continue;
            int e = line.indexOf(END);
            if (e >= 0) {
                String endType = typeAfter(line, e + END.length());
                Shape shape = isPrivateKeyType(endType)
                        ? Shape.PRIVATE_KEY
                        : endType.equals(type) ? Shape.CLOSED : Shape.MISMATCHED;
                if (body != null && shape == Shape.CLOSED)
                    body.append("-----END ").append(type).append("-----\n");
                out.add(closeOpen(number, shape == Shape.PRIVATE_KEY ? endType : type, body, shape));
                type = null;
                body = null;
                continue;
            }
            if (body != null) body.append(stripCr(line)).append('\n');
        }
        if (type != null) out.add(closeOpen(number, type, body, Shape.UNCLOSED));
        return out;
    }

    private static Block closeOpen(int number, String type, StringBuilder body, Shape shape) {
        if (body == null || shape == Shape.PRIVATE_KEY) return new Block(number, type, Shape.PRIVATE_KEY, null);
        return new Block(number, type, shape, shape == Shape.CLOSED ? body.toString() : null);
    }

    /** The label between the marker and the closing dashes, e.g. {@code RSA PRIVATE KEY}. */
    private static String typeAfter(String line, int from) {
        String rest = stripCr(line).substring(from);
        int dashes = rest.indexOf("-----");
        return (dashes >= 0 ? rest.substring(0, dashes) : rest).strip();
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
