package dev.vmtrust.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/install.sh on a stand-in Mac (and Linux): which Java it takes and why, Maven, the installed layout. */
class InstallScriptTest {
    @TempDir
    static Path shared;

    static Path jar;

    @TempDir
    Path tmp;

    InstallFixture f;

    @BeforeAll
    static void fakeJar() throws Exception {
        jar = FakeJar.build(shared);
    }

    @BeforeEach
    void fixture() throws Exception {
        f = new InstallFixture(tmp, jar);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private static final String JAVA_VERSION = System.getProperty("java.version");
    private static final String JAVA_HOME = System.getProperty("java.home");

    @Test
    void installOnAMacIntoAHomeWithASpaceGivesAWorkingLauncherAndALinkCommandThatWorksPasted() throws Exception {
        Path java = f.homebrewJava17();
        Path dest = f.macDest();

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .isEqualTo("install: using Java " + JAVA_VERSION + " (Homebrew openjdk@17): " + java + "\n"
                        + "install: building the jar (mvn -B -q -DskipTests package) with Java in " + JAVA_HOME + "\n"
                        + "install: vmtrust is in " + dest + "\n"
                        + "install: to run it as vmtrust, link it into a folder on your PATH, e.g.:\n"
                        + "  mkdir -p ~/.local/bin && ln -sf '" + dest + "/vmtrust' ~/.local/bin/vmtrust\n"
                        + InstallFixture.fakeJarRun(dest, "status"));
        assertThat(r.exit()).isZero();
        assertThat(dest.resolve("java.path")).hasContent(java.toString());
        assertThat(dest.resolve("vmtrust.jsa")).isNotEmptyFile();
        assertThat(f.mvnCalls())
                .containsExactly("args=-B -q -DskipTests package | JAVA_HOME=" + JAVA_HOME + " | MAVEN_OPTS=");

        // the suggested command, pasted into a shell, then vmtrust through that link from another folder
        String paste =
                r.out().lines().filter(l -> l.startsWith("  mkdir")).findFirst().orElseThrow();
        assertThat(f.box.run(f.box.root, "sh", "-c", paste).exit()).isZero();
        Sandbox.Result viaLink =
                f.box.run(f.box.root, f.box.home.resolve(".local/bin/vmtrust").toString(), "list", "--json");
        assertThat(viaLink.out()).as(viaLink.toString()).isEqualTo(InstallFixture.fakeJarRun(dest, "list", "--json"));
    }

    @Test
    void javaCandidatesAreTriedInOrderAndEachRefusedOneSaysWhy() throws Exception {
        Path jdk8 = f.box.root.resolve("jdk 8");
        Sandbox.fakeJava(jdk8, "openjdk version \"1.8.0_392\"\nOpenJDK Runtime Environment (build 1.8.0_392-b08)\n", 0);
        f.box.env.put("JAVA_HOME", jdk8.toString());
        Path broken = f.box.root.resolve("broken jdk");
        Sandbox.fakeJava(broken, "dyld[123]: Library not loaded: libjli.dylib\n", 134);
        Sandbox.standIn("install/java_home", f.macRoot.resolve("usr/libexec/java_home"));
        Files.writeString(f.macRoot.resolve("usr/libexec/home.txt"), broken + "\n");
        Path openjdk = f.macRoot.resolve("opt/homebrew/opt/openjdk");
        Path java21 = Sandbox.fakeJava(
                openjdk, "openjdk version \"21\" 2023-09-19\nOpenJDK Runtime Environment Homebrew (build 21)\n", 0);
        Sandbox.realJavaAt(f.macRoot.resolve("usr/local/opt/openjdk@17")); // later in the order: not taken

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo(
                        ""
                                + "install: refused " + jdk8
                                + "/bin/java ($JAVA_HOME): Java 8 (1.8.0_392); 17 or newer is needed\n"
                                + "install: refused " + broken
                                + "/bin/java (/usr/libexec/java_home -v 17+): it does not run (exit 134: dyld[123]: Library not loaded: libjli.dylib)\n");
        assertThat(r.out())
                .startsWith("install: using Java 21 (Homebrew openjdk): " + java21 + "\n"
                        + "install: building the jar (mvn -B -q -DskipTests package) with Java in " + openjdk + "\n");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(f.macDest().resolve("java.path")).hasContent(java21.toString());
    }

    @Test
    void applesJavaStubIsRefusedAndTheErrorSaysHowToInstallJava() throws Exception {
        Path usr = f.box.root.resolve("usr");
        Sandbox.fakeJava(
                usr,
                "The operation couldn’t be completed. Unable to locate a Java Runtime.\n"
                        + "Please visit http://www.java.com for information on installing Java.\n",
                1);
        f.onPath(usr);

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo(
                        "install: refused " + usr
                                + "/bin/java (PATH): it is macOS's stand-in; no Java runtime is installed\n"
                                + "install: no Java 17 or newer found; install one with: brew install openjdk@17 (then run this script again)\n");
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(f.mvnCalls()).isEmpty();
    }

    @Test
    void onLinuxHomebrewIsNotProbedAndTheErrorNamesTheDistroPackages() throws Exception {
        f.box.env.put("FAKE_UNAME", "Linux");
        f.homebrewJava17();

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo(
                        "install: no Java 17 or newer found; install a JDK with: sudo apt-get install openjdk-17-jdk-headless"
                                + " (Debian, Ubuntu) or sudo dnf install java-17-openjdk-devel (Fedora, RHEL)\n");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void onLinuxAMissingJavaHomeIsSaidAndJavaOnPathIsTakenAndTheAgentGoesToTheXdgDataFolder() throws Exception {
        f.box.env.put("FAKE_UNAME", "Linux");
        Path usr = f.box.root.resolve("usr");
        Path java = Sandbox.realJavaAt(usr);
        f.onPath(usr);
        f.box.env.put("JAVA_HOME", f.box.root.resolve("gone").toString());

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo("install: refused " + f.box.root.resolve("gone/bin/java")
                        + " ($JAVA_HOME): it does not exist\n");
        Path dest = f.box.home.resolve(".local/share/vmtrust");
        assertThat(r.out())
                .as(r.toString())
                .startsWith("install: using Java " + JAVA_VERSION + " (PATH): " + java + "\n")
                .endsWith("  mkdir -p ~/.local/bin && ln -sf '" + dest + "/vmtrust' ~/.local/bin/vmtrust\n"
                        + InstallFixture.fakeJarRun(dest, "status"));
        assertThat(dest.resolve("java.path")).hasContent(java.toString());
    }

    @Test
    void withoutMavenTheErrorSaysHowToInstallIt() throws Exception {
        f.homebrewJava17();
        Files.delete(f.box.bin.resolve("mvn"));

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo("install: Maven (mvn) is needed to build vmtrust; install it with: brew install maven\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(f.macDest()).doesNotExist();
    }

    @Test
    void aBuildFailingForAnotherReasonIsShownAndNotRetried() throws Exception {
        f.homebrewJava17();
        f.box.env.put(
                "FAKE_MVN_FAIL",
                "[ERROR] COMPILATION ERROR : Main.java:[1,1] class, interface, enum, or record expected");

        Sandbox.Result r = f.install("--no-service");

        assertThat(r.err())
                .isEqualTo("[ERROR] COMPILATION ERROR : Main.java:[1,1] class, interface, enum, or record expected\n"
                        + "install: the build failed (see above); run 'mvn -B package' in '" + f.box.checkout
                        + "' to see the whole log\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(f.mvnCalls()).hasSize(1);
        assertThat(f.box.tmpDir).isEmptyDirectory();
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        Sandbox.Result r = f.install("--no-servce");

        assertThat(r.err()).isEqualTo("install: unknown option --no-servce (usage: install.sh [--no-service])\n");
        assertThat(r.exit()).isEqualTo(2);
    }
}
