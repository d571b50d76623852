package dev.vmtrust;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package says in its package-info what it owns and, on a line "May import: ...", which of vmtrust's
 * packages it may use; this test holds the code to that, and to "no cycle between the top-level packages".
 * A reference is an import or a qualified name in code (comments and strings are not code).
 */
class PackageRulesTest {
    private static final Path MAIN = Path.of("src/main/java/dev/vmtrust");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.vmtrust((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern MAY_IMPORT = Pattern.compile("May import:([^\\n]*(?:\\n \\*[^\\n@]*)*)");

    @Test
    void everyPackageSaysWhatItOwnsAndWhatItMayImport() throws IOException {
        for (String pkg : packages()) {
            Path info = dir(pkg).resolve("package-info.java");
            assertThat(info).as(pkg).exists();
            String text = Files.readString(info);
            assertThat(MAY_IMPORT.matcher(text).find())
                    .as(pkg + ": a 'May import:' line")
                    .isTrue();
            assertThat(text.length()).as(pkg + ": prose about what it owns").isGreaterThan(150);
        }
    }

    @Test
    void packagesImportOnlyWhatTheirPackageInfoAllows() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String pkg : packages()) {
            if (pkg.isEmpty()) continue;
            Allowed allowed = allowed(pkg);
            for (Map.Entry<String, Set<String>> e : references(pkg).entrySet()) {
                for (String used : e.getValue()) {
                    if (!allowed.permits(pkg, used)) broken.add(e.getKey() + " uses dev.vmtrust." + used);
                }
            }
        }
        assertThat(broken).as("references that package-info does not allow").isEmpty();
    }

    @Test
    void theTopLevelPackagesHaveNoCycle() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String pkg : packages()) {
            if (pkg.isEmpty()) continue;
            Set<String> out = graph.computeIfAbsent(top(pkg), k -> new TreeSet<>());
            references(pkg)
                    .values()
                    .forEach(s -> s.stream()
                            .map(PackageRulesTest::top)
                            .filter(t -> !t.equals(top(pkg)) && !t.isEmpty())
                            .forEach(out::add));
        }
        for (String start : graph.keySet()) {
            List<String> cycle = cycleFrom(start, graph, new ArrayList<>(), new HashSet<>());
            assertThat(cycle).as("a cycle through " + start).isEmpty();
        }
    }

    @Test
    void theRuleCatchesAForbiddenImport() {
        Allowed platform = Allowed.parse(" nothing of vmtrust's (every other package may import it).");
        assertThat(platform.permits("platform", "cli")).isFalse();
        Allowed vm = Allowed.parse(" config, platform, ssh, trust (and its own subpackages).");
        assertThat(vm.permits("vm", "vm.provision")).isTrue();
        assertThat(vm.permits("vm", "reconcile")).isFalse();
        assertThat(vm.permits("vm", "ssh")).isTrue();
    }

    private static List<String> cycleFrom(
            String node, Map<String, Set<String>> graph, List<String> path, Set<String> done) {
        if (path.contains(node)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        if (!done.add(node)) return List.of();
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> c = cycleFrom(next, graph, path, done);
            if (!c.isEmpty()) return c;
        }
        path.remove(path.size() - 1);
        return List.of();
    }

    /** "May import:" of one package: names (an entry covers its subpackages), or everything, or nothing. */
    record Allowed(Set<String> names, boolean everything, boolean ownSubpackages, String inherits) {
        static Allowed parse(String text) {
            String t = text.replaceAll("\\n \\*", " ").trim();
            boolean all = t.startsWith("every other package");
            boolean subs = t.contains("its own subpackages");
            Matcher inherit = Pattern.compile("what ([a-z.]+) may import").matcher(t);
            String inherits = inherit.find() ? inherit.group(1) : null;
            Set<String> names = new TreeSet<>();
            if (!t.startsWith("nothing")) {
                for (String w : t.replaceAll("\\(.*?\\)", "").split("[,.]|\\band\\b")) {
                    String word = w.trim();
                    if (word.matches("[a-z][a-z.]*[a-z]") && !word.contains("what")) names.add(word);
                }
            }
            return new Allowed(names, all, subs, inherits);
        }

        boolean permits(String pkg, String used) {
            if (used.equals(pkg) || everything) return true;
            if (ownSubpackages && used.startsWith(pkg + ".")) return true;
            for (String n : names) if (used.equals(n) || used.startsWith(n + ".")) return true;
            return false;
        }
    }

    private static Allowed allowed(String pkg) throws IOException {
        Matcher m = MAY_IMPORT.matcher(Files.readString(dir(pkg).resolve("package-info.java")));
        assertThat(m.find()).as(pkg).isTrue();
        Allowed a = Allowed.parse(m.group(1));
        if (a.inherits() == null) return a;
        Allowed parent = allowed(a.inherits());
        Set<String> names = new TreeSet<>(a.names());
        names.addAll(parent.names());
        names.add(a.inherits());
        return new Allowed(names, a.everything() || parent.everything(), a.ownSubpackages(), null);
    }

    /** Per source file of {@code pkg} (not its subpackages): the vmtrust packages it refers to, other than its own. */
    private static Map<String, Set<String>> references(String pkg) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir(pkg))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (f.getFileName().toString().equals("package-info.java")) continue;
                Matcher m = REFERENCE.matcher(code(Files.readString(f)));
                Set<String> used = new TreeSet<>();
                while (m.find()) {
                    String p = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                    if (!p.equals(pkg)) used.add(p);
                }
                out.put(f.getFileName().toString(), used);
            }
        }
        return out;
    }

    /** The text without comments, string literals and the package line. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("(?m)^package [^;]*;", "");
    }

    private static List<String> packages() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> MAIN.relativize(d).toString().replace('/', '.'))
                    .sorted()
                    .toList();
        }
    }

    private static Path dir(String pkg) {
        return pkg.isEmpty() ? MAIN : MAIN.resolve(pkg.replace('.', '/'));
    }

    private static String top(String pkg) {
        return pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
    }
}
