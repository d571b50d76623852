package dev.vmtrust.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import dev.vmtrust.testing.FakeCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchdServiceTest {
    private static final List<String> ID = List.of("id", "-u");
    private static final List<String> PRINT = List.of("launchctl", "print", "gui/501/dev.vmtrust.agent");
    private static final List<String> BOOTOUT = List.of("launchctl", "bootout", "gui/501/dev.vmtrust.agent");
    private static final String NOT_FOUND = "Could not find service \"dev.vmtrust.agent\" in domain for user gui: 501";

    @TempDir
    Path tmp;

    private Path home;
    private Path launcher;
    private Path plist;
    private final FakeCommandRunner runner = new FakeCommandRunner().on(ID, 0, "501\n", "");

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("Users/ada"));
        launcher = Launchers.create(home.resolve(".local/bin/vmtrust"));
        plist = home.resolve("Library/LaunchAgents/dev.vmtrust.agent.plist");
    }

    private LaunchdService service(Path launcherPath) {
        return new LaunchdService(
                runner, new Environment(Map.of("HOME", home.toString()), Os.MACOS), launcherPath, d -> {});
    }

    private List<String> bootstrap() {
        return List.of("launchctl", "bootstrap", "gui/501", plist.toString());
    }

    @Test
    void thePlistIsRenderedWordForWord() {
        assertThat(service(launcher).render()).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <!-- vmtrust agent. Written by `vmtrust install`, removed by `vmtrust uninstall`; edits are overwritten. -->
                <plist version="1.0">
                <dict>
                \t<key>Label</key>
                \t<string>dev.vmtrust.agent</string>
                \t<key>ProgramArguments</key>
                \t<array>
                \t\t<string>~ada/.local/bin/vmtrust</string>
                \t\t<string>run</string>
                \t</array>
                \t<key>EnvironmentVariables</key>
                \t<dict>
                \t\t<key>PATH</key>
                \t\t<string>/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin</string>
                \t\t<key>HOME</key>
                \t\t<string>~ada</string>
                \t</dict>
                \t<key>RunAtLoad</key>
                \t<true/>
                \t<key>KeepAlive</key>
                \t<dict>
                \t\t<key>SuccessfulExit</key>
                \t\t<false/>
                \t</dict>
                \t<key>ThrottleInterval</key>
                \t<integer>10</integer>
                \t<key>ExitTimeOut</key>
                \t<integer>20</integer>
                \t<key>ProcessType</key>
                \t<string>Background</string>
                \t<key>LowPriorityIO</key>
                \t<true/>
                \t<key>Nice</key>
                \t<integer>5</integer>
                \t<key>StandardOutPath</key>
                \t<string>~ada/Library/Logs/vmtrust/vmtrust.log</string>
                \t<key>StandardErrorPath</key>
                \t<string>~ada/Library/Logs/vmtrust/vmtrust.log</string>
                </dict>
                </plist>
                """.replace("~ada", home.toString()));
    }

    @Test
    void pathsAreXmlEscapedAndThePlistParsesBackToTheSameArguments() throws Exception {
        Path odd = Launchers.create(tmp.resolve("R&D <tools>/it's/vmtrust"));

        String plistText = service(odd).render();

        assertThat(plistText).contains("<string>" + tmp + "/R&amp;D &lt;tools&gt;/it&apos;s/vmtrust</string>");
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(plistText)));
        var args = doc.getElementsByTagName("array").item(0).getChildNodes();
        List<String> strings = new java.util.ArrayList<>();
        for (int i = 0; i < args.getLength(); i++) {
            if (args.item(i).getNodeName().equals("string"))
                strings.add(args.item(i).getTextContent());
        }
        assertThat(strings).containsExactly(odd.toString(), "run");
    }

    @Test
    void aFreshInstallWritesThePlistAndBootstrapsIt() throws Exception {
        runner.on(PRINT, 113, "", NOT_FOUND);

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(ID, PRINT, bootstrap());
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.INSTALLED);
        assertThat(r.commands()).containsExactly(bootstrap());
        assertThat(r.message())
                .isEqualTo(
                        "installed the vmtrust agent: wrote " + plist + " and loaded it in gui/501; logs: "
                                + home
                                + "/Library/Logs/vmtrust/vmtrust.log. Notifications: to see them, allow Script Editor once: "
                                + "System Settings > Notifications > Script Editor > Allow Notifications (if Script Editor is not "
                                + "listed, open Script Editor, run: display notification \"vmtrust\", and allow it when asked)");
        assertThat(Files.readString(plist)).isEqualTo(service(launcher).render());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plist)))
                .isEqualTo("rw-r--r--");
        assertThat(home.resolve("Library/Logs/vmtrust")).isDirectory();
    }

    @Test
    void aNewLauncherPathRewritesThePlistAndBootsTheOldJobOutFirst() throws Exception {
        runner.on(PRINT, 113, "", NOT_FOUND);
        service(launcher).install(false);
        Path moved = Launchers.create(home.resolve("opt/vmtrust/vmtrust"));
        FakeCommandRunner second = new FakeCommandRunner()
                .on(ID, 0, "501\n", "")
                .on(PRINT, 0, "gui/501/dev.vmtrust.agent = {\n\tstate = running\n}\n", "")
                .on(PRINT, 0, "gui/501/dev.vmtrust.agent = {\n\tstate = not running\n}\n", "")
                .on(PRINT, 113, "", NOT_FOUND);

        InstallResult r = new LaunchdService(
                        second, new Environment(Map.of("HOME", home.toString()), Os.MACOS), moved, d -> {})
                .install(false);

        assertThat(second.argvs()).containsExactly(ID, PRINT, BOOTOUT, PRINT, PRINT, bootstrap());
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.UPDATED);
        assertThat(r.message())
                .isEqualTo(
                        "updated the vmtrust agent: rewrote " + plist + " and reloaded it in gui/501; logs: "
                                + home
                                + "/Library/Logs/vmtrust/vmtrust.log. Notifications: to see them, allow Script Editor once: "
                                + "System Settings > Notifications > Script Editor > Allow Notifications (if Script Editor is not "
                                + "listed, open Script Editor, run: display notification \"vmtrust\", and allow it when asked)");
        assertThat(Files.readString(plist)).contains("<string>" + moved + "</string>");
    }

    @Test
    void aCurrentLoadedAgentIsLeftAlone() throws Exception {
        Files.createDirectories(plist.getParent());
        Files.writeString(plist, service(launcher).render());
        Files.setLastModifiedTime(plist, FileTime.fromMillis(1_000_000));
        runner.on(PRINT, 0, "state = running", "");

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(ID, PRINT);
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.ALREADY_CURRENT);
        assertThat(r.message())
                .isEqualTo("the vmtrust agent is already installed and current (" + plist
                        + ", loaded in gui/501); nothing to do");
        assertThat(Files.getLastModifiedTime(plist).toMillis()).isEqualTo(1_000_000);
    }

    @Test
    void aCurrentFileThatIsNotLoadedIsOnlyBootstrapped() throws Exception {
        Files.createDirectories(plist.getParent());
        Files.writeString(plist, service(launcher).render());
        runner.on(PRINT, 113, "", NOT_FOUND);

        InstallResult r = service(launcher).install(false);

        assertThat(runner.argvs()).containsExactly(ID, PRINT, bootstrap());
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.STARTED);
    }

    @Test
    void aDryRunOnlyProbesAndShowsWhatItWouldWriteAndRun() throws Exception {
        runner.on(PRINT, 113, "", NOT_FOUND);

        InstallResult r = service(launcher).install(true);

        assertThat(runner.argvs()).containsExactly(ID, PRINT);
        assertThat(plist).doesNotExist();
        assertThat(home.resolve("Library/Logs")).doesNotExist();
        assertThat(r.outcome()).isEqualTo(InstallResult.Outcome.INSTALLED);
        assertThat(r.text())
                .isEqualTo("dry run, nothing changed: would write " + plist + " and load it in gui/501\n"
                        + "would write " + plist + " (mode 0644):\n"
                        + service(launcher).render()
                        + "would run:\n  launchctl bootstrap gui/501 " + plist + "\n");
    }

    @Test
    void uninstallBootsOutAndDeletesThePlist() throws Exception {
        Files.createDirectories(plist.getParent());
        Files.writeString(plist, "old");
        runner.on(PRINT, 0, "", "").on(PRINT, 113, "", NOT_FOUND);

        UninstallResult r = service(launcher).uninstall();

        assertThat(runner.argvs()).containsExactly(ID, PRINT, BOOTOUT, PRINT);
        assertThat(plist).doesNotExist();
        assertThat(r.outcome()).isEqualTo(UninstallResult.Outcome.UNINSTALLED);
        assertThat(r.message()).isEqualTo("uninstalled the vmtrust agent: stopped it and removed " + plist);
    }

    @Test
    void uninstallWhenNothingIsInstalledDoesNothing() throws Exception {
        runner.on(PRINT, 113, "", NOT_FOUND);

        UninstallResult r = service(launcher).uninstall();

        assertThat(runner.argvs()).containsExactly(ID, PRINT);
        assertThat(r.outcome()).isEqualTo(UninstallResult.Outcome.NOT_INSTALLED);
        assertThat(r.text()).isEqualTo("the vmtrust agent is not installed; nothing to do\n");
    }

    @Test
    void aRefusedBootstrapIsAnErrorWithTheNextStep() {
        runner.on(PRINT, 113, "", NOT_FOUND).on(bootstrap(), 5, "", "Bootstrap failed: 5: Input/output error");

        assertThatThrownBy(() -> service(launcher).install(false))
                .isInstanceOf(ServiceException.class)
                .hasMessage("launchd refused to load the vmtrust agent (`launchctl bootstrap gui/501 " + plist
                        + "` exited 5: Bootstrap failed: 5: Input/output error): this usually means it is switched off "
                        + "under System Settings > General > Login Items (\"Allow in the Background\": vmtrust shows as "
                        + "an item from an unidentified developer). Next step: switch it on there (or run: launchctl "
                        + "enable gui/501/dev.vmtrust.agent) and run vmtrust install again");
    }

    @Test
    void anSshSessionWithoutAGuiDomainIsToldToInstallAtTheMacsScreen() {
        runner.on(PRINT, 113, "", "Could not find domain for user gui: 501")
                .on(bootstrap(), 125, "", "Bootstrap failed: 125: Domain does not support specified action");

        assertThatThrownBy(() -> service(launcher).install(false))
                .isInstanceOf(ServiceException.class)
                .hasMessage("launchd has no gui/501 domain here (`launchctl bootstrap gui/501 " + plist
                        + "` exited 125: Bootstrap failed: 125: Domain does not support specified action): that domain "
                        + "exists only for a user logged in at the Mac's screen, not in an SSH session, and the agent "
                        + "needs it for the login keychain and notifications. Next step: run vmtrust install in "
                        + "Terminal on the Mac itself (or through Screen Sharing); until then run `vmtrust run` in the "
                        + "foreground");
    }

    @Test
    void theShellsHomesAndConfigAreRecordedForTheAgentAndAMissingColimaHomeIsLeftOut() throws Exception {
        Path colima = Files.createDirectories(home.resolve("my colima"));
        Environment env = new Environment(
                Map.of(
                        "HOME",
                        home.toString(),
                        "COLIMA_HOME",
                        colima.toString(),
                        "LIMA_HOME",
                        "~/lima & co",
                        "XDG_CONFIG_HOME",
                        "relative/ignored",
                        "XDG_STATE_HOME",
                        "/st",
                        "VMTRUST_CONFIG",
                        "/etc/<vmtrust>.yaml"),
                Os.MACOS);
        Environment missingColima = new Environment(
                Map.of(
                        "HOME",
                        home.toString(),
                        "COLIMA_HOME",
                        home.resolve("nope").toString()),
                Os.MACOS);

        String text = new LaunchdService(runner, env, launcher, d -> {}).render();

        assertThat(text).contains("""
                \t\t<string>~ada</string>
                \t\t<key>COLIMA_HOME</key>
                \t\t<string>~ada/my colima</string>
                \t\t<key>LIMA_HOME</key>
                \t\t<string>~ada/lima &amp; co</string>
                \t\t<key>XDG_STATE_HOME</key>
                \t\t<string>/st</string>
                \t\t<key>VMTRUST_CONFIG</key>
                \t\t<string>/etc/&lt;vmtrust&gt;.yaml</string>
                \t</dict>
                """.replace("~ada", home.toString()));
        Files.createDirectories(plist.getParent());
        Files.writeString(plist, text);
        assertThat(AgentEnvironment.recordedIn(plist)).contains(AgentEnvironment.of(env));
        assertThat(new LaunchdService(runner, missingColima, launcher, d -> {}).render())
                .doesNotContain("COLIMA_HOME");
        assertThat(AgentEnvironment.differences(AgentEnvironment.of(env), AgentEnvironment.of(missingColima)))
                .containsExactly(
                        "COLIMA_HOME: the agent has " + colima + ", this shell it unset",
                        "LIMA_HOME: the agent has " + home + "/lima & co, this shell it unset",
                        "XDG_STATE_HOME: the agent has /st, this shell it unset",
                        "VMTRUST_CONFIG: the agent has /etc/<vmtrust>.yaml, this shell it unset");
    }

    @Test
    void aMissingLauncherIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> service(home.resolve("nope/vmtrust")).install(true))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("is not an executable file");
        assertThat(runner.calls()).isEmpty();
    }
}
