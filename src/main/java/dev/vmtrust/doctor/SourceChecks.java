package dev.vmtrust.doctor;

import dev.vmtrust.config.Config;
import dev.vmtrust.config.ConfigException;
import dev.vmtrust.platform.Os;
import dev.vmtrust.source.CollectedSet;
import dev.vmtrust.source.HostFamily;
import dev.vmtrust.source.HostSource;
import dev.vmtrust.source.KeychainSource;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.trust.Rejection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks of the host side: {@code config}, {@code sources}, {@code keychain}, {@code host} (the Linux host
 * store, shown like the keychain: one check per input it read), {@code source-files}, {@code ca-set}, {@code ca-expiry}.
 */
final class SourceChecks {
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final String LIST_HINT = "fix or remove the inputs named; `vmtrust list` shows every rejected input";

    private SourceChecks() {}

    static Check config(Config config) {
        Path f = config.file();
        return Check.ok(
                "config", null, Files.exists(f) ? f + " is valid" : "no config file at " + f + "; using the defaults");
    }

    static Check config(ConfigException e) {
        return Check.fail(
                "config",
                null,
                String.join("; ", e.problems()),
                e.file() == null ? "set HOME" : "fix " + e.file() + "; every key is optional");
    }

    static Check sources(Config config) {
        return sources(config, null);
    }

    /** {@code os}: null when unknown (then the host store is not named). */
    static Check sources(Config config, Os os) {
        Config.Sources s = config.sources();
        List<String> on = new ArrayList<>();
        if (KeychainSource.enabled(s.keychain()))
            on.add("keychain (" + plural(s.keychain().keychains().size(), "keychain") + ")");
        if (!s.files().isEmpty()) on.add("files (" + s.files().size() + ")");
        if (s.vendorFiles()) on.add("vendor files");
        if (os != null && HostSource.enabled(s.host(), os)) on.add("host store");
        if (on.isEmpty())
            return Check.fail(
                    "sources",
                    null,
                    "no source is on",
                    "list your corporate CA file under sources.files, or enable the keychain"
                            + (os != null && os.hostStore() ? " or the host store (sources.host: auto)" : ""));
        String roots = switch (s.publicRoots().kind()) {
            case AUTO -> "auto";
            case FILE -> s.publicRoots().file().toString();
            case NONE -> "none";
        };
        String filter = s.excludePublic()
                ? "public roots (" + roots + ") are left out"
                : "public CAs are kept (excludePublic: false)";
        String select = (config.include().isEmpty()
                        ? ""
                        : "; include: " + config.include().size())
                + (config.exclude().isEmpty()
                        ? ""
                        : "; exclude: " + config.exclude().size());
        return Check.ok("sources", null, "on: " + String.join(", ", on) + "; " + filter + select);
    }

    /** One {@code keychain} check per keychain, or one saying why the keychain is not read. */
    static List<Check> keychain(Config.Keychain k, Os os, CollectedSet c) {
        String cmd = k.command().toString();
        boolean present = Files.isRegularFile(k.command()) && Files.isExecutable(k.command());
        switch (k.enabled()) {
            case OFF -> {
                return List.of(Check.ok("keychain", null, "off (sources.keychain.enabled: false)"));
            }
            case ON -> {
                if (!present)
                    return List.of(Check.fail(
                            "keychain",
                            null,
                            cmd + " is not an executable; the keychain cannot be read",
                            "fix sources.keychain.command, or set sources.keychain.enabled: false"));
            }
            case AUTO -> {
                if (!present && os.keychainHost())
                    return List.of(Check.warn(
                            "keychain",
                            null,
                            cmd + " not found; the keychain is not read",
                            "set sources.keychain.command to the security tool"));
                if (!present)
                    return List.of(Check.ok("keychain", null, "off: " + cmd + " not found (normal outside macOS)"));
            }
        }
        List<Check> out = new ArrayList<>();
        for (Path kc : k.keychains()) out.add(input("keychain", "keychain:" + kc, c));
        return out;
    }

    /**
     * One {@code host} check per host store file that gave a CA or a rejection, or one saying where it looked
     * and found nothing, or why it is off. {@code root}: where the host's paths are read (production {@code /}).
     */
    static List<Check> host(Config.Sources s, Os os, CollectedSet c, Path root) {
        if (!HostSource.enabled(s.host(), os)) {
            return List.of(Check.ok(
                    "host",
                    null,
                    s.host() == Config.Toggle.OFF
                            ? "off (sources.host: false)"
                            : "off: the host store is read on a Linux host only (sources.host: auto)"));
        }
        HostFamily f = HostFamily.detect(root);
        Set<String> labels = new LinkedHashSet<>();
        c.labels()
                .values()
                .forEach(ls -> ls.stream().filter(l -> l.startsWith("host:")).forEach(labels::add));
        c.rejected().stream()
                .map(Rejection::source)
                .filter(l -> l.startsWith("host:"))
                .forEach(labels::add);
        if (labels.isEmpty()) {
            if (f == HostFamily.UNKNOWN)
                return List.of(Check.warn(
                        "host",
                        null,
                        "no known Linux trust store layout; nothing read",
                        "list your proxy's root CA file under sources.files"));
            return List.of(Check.ok(
                    "host",
                    null,
                    "host store (" + f.displayName() + "): no locally added CA in "
                            + String.join(", ", HostSource.places(f))));
        }
        return labels.stream().map(l -> input("host", l, c)).toList();
    }

    /** One {@code source-files} check per configured file and per vendor file found. */
    static List<Check> files(Config.Sources s, CollectedSet c) {
        Set<String> labels = new LinkedHashSet<>();
        for (Path f : s.files()) labels.add("file:" + f);
        c.labels()
                .values()
                .forEach(ls -> ls.stream().filter(l -> l.startsWith("vendor:")).forEach(labels::add));
        c.rejected().stream()
                .map(Rejection::source)
                .filter(l -> l.startsWith("vendor:"))
                .forEach(labels::add);
        return labels.stream().map(l -> input("source-files", l, c)).toList();
    }

    /** What one input (labelled like in {@code vmtrust list}) gave: CAs in the set, rejections, left-outs. */
    static Check input(String id, String label, CollectedSet c) {
        long cas = c.labels().values().stream().filter(ls -> ls.contains(label)).count();
        List<String> problems = new ArrayList<>();
        int leftOut = 0;
        for (Rejection r : c.rejected()) {
            if (!r.source().equals(label)) continue;
            if (informational(r.reason())) leftOut++;
            else problems.add(r.reason());
        }
        String msg = label + ": " + plural((int) cas, "CA") + " in the set"
                + (leftOut == 0 ? "" : "; " + leftOut + " left out (public, untrusted or not selected)")
                + (problems.isEmpty() ? "" : "; rejected: " + String.join("; ", problems));
        return problems.isEmpty() ? Check.ok(id, null, msg) : Check.warn(id, null, msg, LIST_HINT);
    }

    /** Left out on purpose (public, not trusted by this Mac, blocklisted, include/exclude): not a problem of the input. */
    static boolean informational(String reason) {
        return reason.endsWith("VMs already trust it")
                || reason.endsWith(": not matched by include")
                || reason.contains("\": excluded by \"")
                || reason.contains(" is not trusted by this Mac (")
                || reason.endsWith(" is distrusted by the host's blocklist; skipped");
    }

    static Check caSet(CollectedSet c) {
        if (c.bundle().isEmpty())
            return Check.fail(
                    "ca-set",
                    null,
                    "no CA found; nothing can be pushed to the VMs; looked in: "
                            + (c.looked().places().isEmpty()
                                    ? "nothing (every source is off)"
                                    : String.join("; ", c.looked().places())),
                    c.looked().nextStep() + "; `vmtrust list` shows every rejected input");
        List<String> parts = c.bundle().certs().stream()
                .map(ca -> ca.subject() + " (expires " + day(ca.notAfter()) + ")")
                .toList();
        return Check.ok(
                "ca-set",
                null,
                plural(c.bundle().size(), "CA") + ": " + String.join(", ", parts) + "; CA set "
                        + c.bundle().label());
    }

    /** fail: a configured file or vendor file holds an expired CA; warn: one expires within 30 days, or a keychain one expired. */
    static List<Check> expiry(CollectedSet c, Instant now) {
        List<String> expired = new ArrayList<>();
        boolean fileExpired = false;
        List<Rejection> all0 = new ArrayList<>(c.rejected());
        all0.addAll(c.skipped()); // a keychain's expired CAs are routine in list, but doctor still names them
        for (Rejection r : all0) {
            if (!r.reason().contains(" expired on ")) continue;
            expired.add(r.reason().replace("; skipped", "") + " (" + r.source() + ")");
            fileExpired |= !r.source().startsWith("keychain:");
        }
        List<String> soon = new ArrayList<>();
        for (CaCert ca : c.bundle().certs()) {
            if (ca.notAfter().isBefore(now.plus(EXPIRY_WARNING))) {
                long days = Duration.between(now, ca.notAfter()).toDays();
                soon.add("\"" + ca.subject() + "\" expires " + day(ca.notAfter()) + " (in " + plural((int) days, "day")
                        + ")");
            }
        }
        String renew = "get the renewed CA from IT; vmtrust pushes it as soon as a source has it";
        List<String> all = new ArrayList<>(expired);
        all.addAll(soon);
        if (fileExpired)
            return List.of(Check.fail(
                    "ca-expiry",
                    null,
                    String.join("; ", all) + "; an expired CA is not pushed",
                    renew + ", and remove the expired one from its file"));
        if (!all.isEmpty()) return List.of(Check.warn("ca-expiry", null, String.join("; ", all), renew));
        if (c.bundle().isEmpty()) return List.of();
        CaCert first = c.bundle().certs().stream()
                .min((a, b) -> a.notAfter().compareTo(b.notAfter()))
                .orElseThrow();
        return List.of(Check.ok(
                "ca-expiry", null, "no CA expires within 30 days (the first expires " + day(first.notAfter()) + ")"));
    }

    static String day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
    }

    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
