package dev.vmtrust.doctor;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed, read-only script doctor runs in a VM as the SSH user (no sudo): is the distro's trust tool
 * on PATH, and one {@code curl -sS -o /dev/null --max-time 5 -I URL} (a HEAD) per URL. The URLs come on
 * stdin, one per line, and reach curl only as {@code "$u"}: no user text is ever part of the command line.
 * The only argument is the distro family, one of the fixed words {@code debian|alpine|rhel|suse|arch|unknown}.
 * Output lines: {@code vmtrust: tool NAME found|missing}, {@code vmtrust: probe N CODE TEXT} (N counts
 * from 1, TEXT is the first line of curl's error message), {@code vmtrust: probe N no-curl}.
 */
final class VmProbeScript {
    static final String SCRIPT = String.join(
            "\n",
            "PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "case $1 in",
            "  debian|alpine|suse) t=update-ca-certificates ;;",
            "  rhel) t=update-ca-trust ;;",
            "  arch) t=trust ;;",
            "  *) t= ;;",
            "esac",
            "if [ -n \"$t\" ]; then",
            "  if command -v \"$t\" >/dev/null 2>&1; then echo \"vmtrust: tool $t found\"; else echo \"vmtrust: tool $t missing\"; fi",
            "fi",
            "c=; if command -v curl >/dev/null 2>&1; then c=1; fi",
            "n=0",
            "while IFS= read -r u || [ -n \"$u\" ]; do",
            "  n=$((n + 1))",
            "  if [ -z \"$c\" ]; then echo \"vmtrust: probe $n no-curl\"; continue; fi",
            "  e=$(curl -sS -o /dev/null --max-time 5 -I \"$u\" 2>&1 </dev/null); x=$?",
            "  e=$(printf %s \"$e\" | head -n 1 | tr -d \"\\r\")",
            "  echo \"vmtrust: probe $n $x $e\"",
            "done",
            "");
    private static final Pattern FAMILY = Pattern.compile("debian|alpine|rhel|suse|arch");
    private static final Pattern TOOL = Pattern.compile("vmtrust: tool (\\S+) (found|missing)");
    private static final Pattern PROBE =
            Pattern.compile("vmtrust: probe ([0-9]{1,4}) (no-curl|([0-9]{1,3})(?: (.*))?)");

    static {
        if (SCRIPT.indexOf('\'') >= 0) throw new IllegalStateException("the script must not contain a single quote");
    }

    /** One probe's answer: curl's exit code (-1 = curl is not installed) and its message. */
    record Answer(int code, String text) {}

    /** What the script printed. */
    record Result(Optional<String> tool, boolean toolFound, Map<Integer, Answer> probes) {}

    private VmProbeScript() {}

    /** {@code sh -c '<script>' vmtrust-doctor FAMILY}; FAMILY not in the fixed set becomes {@code unknown}. */
    static String command(String family) {
        String word = family != null && FAMILY.matcher(family).matches() ? family : "unknown";
        return "sh -c '" + SCRIPT + "' vmtrust-doctor " + word;
    }

    /** The URLs, one per line; callers pass only URLs {@link ProbeChecks#safeForVm} accepts. */
    static byte[] stdin(List<URI> urls) {
        StringBuilder sb = new StringBuilder();
        for (URI u : urls) sb.append(u.toASCIIString()).append('\n');
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Result parse(String stdout) {
        String tool = null;
        boolean found = false;
        Map<Integer, Answer> probes = new HashMap<>();
        for (String line : (stdout == null ? "" : stdout).split("\n")) {
            line = line.strip();
            Matcher t = TOOL.matcher(line);
            if (t.matches()) {
                tool = t.group(1);
                found = t.group(2).equals("found");
                continue;
            }
            Matcher p = PROBE.matcher(line);
            if (!p.matches()) continue;
            int n = Integer.parseInt(p.group(1));
            if (p.group(3) == null) probes.put(n, new Answer(-1, "curl is not installed in the VM"));
            else
                probes.put(
                        n,
                        new Answer(
                                Integer.parseInt(p.group(3)),
                                p.group(4) == null ? "" : p.group(4).strip()));
        }
        return new Result(Optional.ofNullable(tool), found, probes);
    }
}
