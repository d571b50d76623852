package dev.vmtrust.source;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Debian's /etc/ca-certificates.conf (update-ca-certificates(8)): one path per line, relative to
 * /usr/share/ca-certificates; {@code #} starts a comment line; {@code !path} deselects. Lines under
 * {@code mozilla/} are the distro's shipped roots; any other selected line is a local addition. Only
 * {@code .crt} names without {@code ..} segments or a leading {@code /} are kept (anything else could point
 * outside the folder). No I/O.
 */
record DebianCaConf(Set<String> selected, Set<String> deselected) {
    static final String MOZILLA = "mozilla/";

    static DebianCaConf parse(String text) {
        Set<String> selected = new LinkedHashSet<>();
        Set<String> deselected = new LinkedHashSet<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            boolean off = line.startsWith("!");
            String name = off ? line.substring(1).strip() : line;
            if (!usable(name)) continue;
            if (off) deselected.add(name);
            else selected.add(name);
        }
        selected.removeAll(deselected);
        return new DebianCaConf(selected, deselected);
    }

    /** Selected lines under mozilla/: the shipped roots the host trusts. */
    List<String> shipped() {
        return selected.stream().filter(n -> n.startsWith(MOZILLA)).toList();
    }

    /** Selected lines not under mozilla/: other local additions (the admin's or a package's). */
    List<String> localAdditions() {
        List<String> out = new ArrayList<>();
        for (String n : selected) if (!n.startsWith(MOZILLA)) out.add(n);
        return out;
    }

    private static boolean usable(String name) {
        if (!name.endsWith(".crt") || name.startsWith("/")) return false;
        for (String part : name.split("/")) if (part.equals("..") || part.isEmpty()) return false;
        return true;
    }
}
