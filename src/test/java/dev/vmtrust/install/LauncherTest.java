package dev.vmtrust.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.Require;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scripts/vmtrust run for real, with a fake jar that prints the argv it got: from a folder with a space, a quote
 * and a dollar in its path, directly, through symlinks (absolute, relative, chained, via a symlinked folder),
 * from other working directories, under the shebang's sh, dash and bash in POSIX mode (macOS's /bin/sh).
 */
class LauncherTest {
    @TempDir
    static Path shared;

    static Path installed; // the installed layout: vmtrust, vmtrust.jar, java.path, vmtrust.jsa (read only)
    static Path launcher;

    @TempDir
    Path tmp;

    Sandbox box;

    @BeforeAll
    static void install() throws Exception {
        installed = Files.createDirectories(shared.resolve("Application Support/it's $HOME/vmtrust"));
        launcher = Sandbox.executable(
                Files.copy(Sandbox.projectDir().resolve("scripts/vmtrust"), installed.resolve("vmtrust")));
        Files.copy(FakeJar.build(shared), installed.resolve("vmtrust.jar"));
        Files.writeString(installed.resolve("java.path"), Sandbox.realJava() + "\n");
        // a real AppCDS archive of the fake jar, made as install.sh makes it
        List<String> dump = new ArrayList<>(List.of(Sandbox.realJava().toString()));
        dump.addAll(FakeJar.DEFAULT_OPTIONS);
        dump.addAll(List.of(
                "-XX:ArchiveClassesAtExit=" + installed.resolve("vmtrust.jsa"),
                "-jar",
                installed.resolve("vmtrust.jar").toString(),
                "list"));
        Process p = new ProcessBuilder(dump)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor()).isZero();
        assertThat(installed.resolve("vmtrust.jsa")).isNotEmptyFile();
    }

    @BeforeEach
    void sandbox() throws Exception {
        box = new Sandbox(tmp);
        box.standIn("mvn");
        box.env.put("FAKE_MVN_LOG", box.root.resolve("mvn.log").toString());
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    private List<String> shell(String sh) {
        return switch (sh) {
            case "exec" -> List.of();
            case "dash" ->
                List.of(Require.tool("running the launcher under dash", "/usr/bin/dash", "/bin/dash")
                        .toString());
            case "bash" -> List.of("bash", "--posix");
            default -> throw new IllegalArgumentException(sh);
        };
    }

    private Sandbox.Result launch(String sh, Path cwd, Path script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(shell(sh));
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        return box.run(cwd, cmd.toArray(String[]::new));
    }

    /** What the fake jar prints when the installed launcher runs it with the default options and the archive. */
    private String expectedRun(String... args) {
        StringBuilder sb = new StringBuilder("launcher=" + launcher + "\n");
        FakeJar.DEFAULT_OPTIONS.forEach(o -> sb.append("jvm=").append(o).append('\n'));
        sb.append("jvm=-XX:SharedArchiveFile=")
                .append(installed.resolve("vmtrust.jsa"))
                .append('\n')
                .append("jvm=-Xlog:cds=off\njvm=-Xlog:cds+dynamic=off\n");
        for (String a : args) sb.append("arg=").append(a).append('\n');
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec", "dash", "bash"})
    void launcherInAFolderWithASpaceAQuoteAndADollarRunsTheJarBesideItWithTheArchiveAsOneArgument(String sh)
            throws Exception {
        Sandbox.Result r = launch(sh, tmp, launcher, "list", "a b", "'", "$HOME", "*");

        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(expectedRun("list", "a b", "'", "$HOME", "*"));
        assertThat(r.exit()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec", "dash", "bash"})
    void launcherWorksThroughASymlinkFromAnotherFolder(String sh) throws Exception {
        Path link = Files.createSymbolicLink(
                Files.createDirectories(box.home.resolve(".local/bin")).resolve("vmtrust"), launcher);

        Sandbox.Result r = launch(sh, box.root, link, "--version");

        assertThat(r.out()).as(r.toString()).isEqualTo(expectedRun("--version"));
        assertThat(r.exit()).isZero();
        assertThat(box.root.resolve("mvn.log")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exec", "dash", "bash"})
    void launcherWorksThroughAChainOfRelativeSymlinksAndASymlinkedFolder(String sh) throws Exception {
        // ~/.local/bin/vmtrust -> ../lib/vmtrust-link -> ../../apps/vmtrust, where ~/apps -> the install folder
        Files.createSymbolicLink(box.home.resolve("apps"), installed);
        Files.createDirectories(box.home.resolve(".local/lib"));
        Files.createSymbolicLink(box.home.resolve(".local/lib/vmtrust-link"), Path.of("../../apps/vmtrust"));
        Path link = Files.createSymbolicLink(
                Files.createDirectories(box.home.resolve(".local/bin")).resolve("vmtrust"),
                Path.of("../lib/vmtrust-link"));

        Sandbox.Result r = launch(sh, box.home.resolve(".local"), Path.of("bin/vmtrust"), "status");

        assertThat(r.out()).as(r.toString()).isEqualTo(expectedRun("status"));
        assertThat(link).isSymbolicLink();
    }

    @Test
    void launcherLinkedIntoAFolderOnPathRunsByItsNameAlone() throws Exception {
        Path bin = Files.createDirectories(box.home.resolve(".local/bin"));
        Files.createSymbolicLink(bin.resolve("vmtrust"), launcher);
        box.env.put("PATH", bin + ":" + box.env.get("PATH"));

        Sandbox.Result r = box.run(tmp, "sh", "-c", "vmtrust status --json");

        assertThat(r.out()).as(r.toString()).isEqualTo(expectedRun("status", "--json"));
    }

    @Test
    void launcherRunByNameFromItsOwnFolderUnderSh() throws Exception {
        Sandbox.Result r = box.run(installed, "sh", "vmtrust", "list");

        assertThat(r.out()).as(r.toString()).isEqualTo(expectedRun("list"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "--config|/etc/x.yaml|run", "-v|run|--help", "--config=/a b|--|run"})
    void theAgentGetsTheDefaultsPlusOptionsThatGiveUnusedHeapBack(String argv) throws Exception {
        String[] args = argv.split("\\|");

        Sandbox.Result r = launch("dash", tmp, launcher, args);

        StringBuilder expected = new StringBuilder("launcher=" + launcher + "\n");
        FakeJar.DEFAULT_OPTIONS.forEach(o -> expected.append("jvm=").append(o).append('\n'));
        FakeJar.AGENT_OPTIONS.forEach(o -> expected.append("jvm=").append(o).append('\n'));
        expected.append("jvm=-XX:SharedArchiveFile=")
                .append(installed.resolve("vmtrust.jsa"))
                .append("\njvm=-Xlog:cds=off\njvm=-Xlog:cds+dynamic=off\n");
        for (String a : args) expected.append("arg=").append(a).append('\n');
        assertThat(r.out()).as(r.toString()).isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "--config|run|sync", "list|run", "--json"})
    void otherCommandsAndAConfigFileNamedRunGetTheDefaultsOnly(String argv) throws Exception {
        String[] args = argv.split("\\|");

        Sandbox.Result r = launch("dash", tmp, launcher, args);

        assertThat(r.out()).as(r.toString()).isEqualTo(expectedRun(args));
    }

    @Test
    void javaOptionsFromTheEnvironmentReplaceTheDefaultsWordByWordAndAreNeverGlobbed() throws Exception {
        Files.writeString(tmp.resolve("-Dx=oops"), ""); // what an unquoted, globbed -Dx=* would become
        box.env.put("VMTRUST_JAVA_OPTS", "-Xmx80m  -Dx=*");

        Sandbox.Result r = launch("exec", tmp, launcher);

        assertThat(r.out())
                .as(r.toString())
                .isEqualTo("launcher=" + launcher + "\njvm=-Xmx80m\njvm=-Dx=*\n" + "jvm=-XX:SharedArchiveFile="
                        + installed.resolve("vmtrust.jsa") + "\njvm=-Xlog:cds=off\njvm=-Xlog:cds+dynamic=off\n");
    }

    @Test
    void launcherOfACheckoutThroughASymlinkRunsTheCheckoutsJarWithoutBuilding() throws Exception {
        Files.createDirectories(box.checkout.resolve("target"));
        Files.copy(installed.resolve("vmtrust.jar"), box.checkout.resolve("target/vmtrust.jar"));
        Files.writeString(box.checkout.resolve("pom.xml"), "<project/>");
        Path link = Files.createSymbolicLink(
                Files.createDirectories(box.home.resolve(".local/bin")).resolve("vmtrust"),
                box.checkout.resolve("scripts/vmtrust"));
        box.env.put("JAVA_HOME", System.getProperty("java.home"));

        Sandbox.Result r = launch("dash", box.root, link, "list");

        StringBuilder expected = new StringBuilder("launcher=" + box.checkout.resolve("scripts/vmtrust") + "\n");
        FakeJar.DEFAULT_OPTIONS.forEach(o -> expected.append("jvm=").append(o).append('\n'));
        assertThat(r.out()).as(r.toString()).isEqualTo(expected + "arg=list\n");
        assertThat(box.root.resolve("mvn.log")).doesNotExist();
    }

    @Test
    void aCopiedLauncherWithoutAJarOrACheckoutSaysHowToReinstallAndBuildsNothing() throws Exception {
        Path lone = Files.copy(
                launcher,
                Files.createDirectories(box.home.resolve(".local/bin")).resolve("vmtrust"));

        Sandbox.Result r = launch("exec", tmp, lone, "status");

        assertThat(r.err())
                .isEqualTo("vmtrust: no vmtrust.jar next to " + lone + " and no source checkout in "
                        + box.home.resolve(".local") + "; reinstall with scripts/install.sh\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(box.root.resolve("mvn.log")).doesNotExist();
    }

    @Test
    void bothScriptsPassShellcheckAsPosixSh() throws Exception {
        Path shellcheck = Require.tool("the shellcheck pass", "/usr/bin/shellcheck");
        Process p = new ProcessBuilder(
                        shellcheck.toString(),
                        "-s",
                        "sh",
                        Sandbox.projectDir().resolve("scripts/vmtrust").toString(),
                        Sandbox.projectDir().resolve("scripts/install.sh").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(out).isZero();
    }
}
