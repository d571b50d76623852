package dev.vmtrust.ssh;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A String's UTF-8 bytes as a stream, encoded 8 KiB of characters at a time: the script (megabytes for
 * thousands of CAs) is sent to each VM without a whole byte[] copy per VM. A surrogate pair is never
 * split between two chunks.
 */
final class TextInputStream extends InputStream {
    private static final int CHUNK = 8192;
    private final String text;
    private int next; // next char of text to encode
    private byte[] buf = new byte[0];
    private int pos;

    TextInputStream(String text) {
        this.text = text == null ? "" : text;
    }

    @Override
    public int read() {
        if (!fill()) return -1;
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, buf.length - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return buf.length - pos;
    }

    private boolean fill() {
        if (pos < buf.length) return true;
        if (next >= text.length()) return false;
        int end = Math.min(text.length(), next + CHUNK);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) end--;
        buf = text.substring(next, end).getBytes(StandardCharsets.UTF_8);
        pos = 0;
        next = end;
        return true;
    }
}
