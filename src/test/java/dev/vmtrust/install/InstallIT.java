package dev.vmtrust.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure users hit, end to end with the real jar (-Dvmtrust.jar, from `mvn verify`): install.sh --no-service
 * on a stand-in Mac into a HOME with a space (~/Library/Application Support/vmtrust, AppCDS archive included),
 * then the pasted `ln -s` and `vmtrust --version` / `vmtrust list --json` through that link from another folder,
 * with the archive really mapped by the JVM.
 */
class InstallIT {
    @TempDir
    Path tmp;

    @Test
    void installOnAMacIntoAHomeWithASpaceThenVmtrustThroughTheSuggestedLinkRunsWithTheArchive() throws Exception {
        Path jar = Path.of(System.getProperty("vmtrust.jar", "target/vmtrust.jar"));
        assertThat(jar).as("the packaged jar (run through mvn verify)").isRegularFile();
        TestCerts.Issued corp = TestCerts.rootCa("CN=Zscaler Root CA,O=Zscaler Inc.");
        try (InstallFixture f = new InstallFixture(tmp, jar)) {
            f.homebrewJava17();
            Path pem = Files.writeString(f.box.root.resolve("corp.pem"), corp.pem());
            Path config = Files.createDirectories(f.box.home.resolve(".config/vmtrust"))
                    .resolve("config.yaml");
            Files.writeString(
                    config,
                    "sources: {keychain: {enabled: false}, files: [\"" + pem
                            + "\"], vendorFiles: false, host: false, publicRoots: none}\n");
            Path dest = f.macDest();

            Sandbox.Result install = f.install("--no-service");

            assertThat(install.exit()).as(install.toString()).isZero();
            assertThat(install.err()).isEmpty();
            assertThat(dest.resolve("vmtrust.jsa")).isNotEmptyFile();
            String paste = install.out()
                    .lines()
                    .filter(l -> l.startsWith("  mkdir"))
                    .findFirst()
                    .orElseThrow();
            assertThat(paste)
                    .isEqualTo("  mkdir -p ~/.local/bin && ln -sf '" + dest + "/vmtrust' ~/.local/bin/vmtrust");
            assertThat(f.box.run(f.box.root, "sh", "-c", paste).exit()).isZero();
            String link = f.box.home.resolve(".local/bin/vmtrust").toString();

            Sandbox.Result version = f.box.run(f.box.root, link, "--version");
            assertThat(version.out()).as(version.toString()).matches("vmtrust \\S+\n");
            assertThat(version.err()).isEmpty();

            Sandbox.Result list = f.box.run(f.box.root, link, "list", "--json");
            assertThat(list.exit()).as(list.toString()).isZero();
            assertThat(list.out())
                    .startsWith("{")
                    .contains("\"sha256\":\"" + corp.cert().sha256() + "\"")
                    .contains("\"subject\":\"CN=Zscaler Root CA,O=Zscaler Inc.\"");
            assertThat(list.err()).isEmpty();

            // the JVM opens and maps the archive through the launcher (a stale or unreadable one is skipped silently).
            // JDK 17 (17.0.15 measured) then still loads the app's own classes from the jar when the jar's path has a
            // space: only its JDK classes come from the archive; JDK 25 uses both.
            Path cdsLog = f.box.root.resolve("cds.log");
            f.box.env.put(
                    "VMTRUST_JAVA_OPTS",
                    String.join(" ", FakeJar.DEFAULT_OPTIONS) + " -Xlog:cds=info:file=" + cdsLog
                            + " -Xlog:class+load=info:file=" + cdsLog + ".classes");
            assertThat(f.box.run(f.box.root, link, "--version").exit()).isZero();
            assertThat(Files.readString(cdsLog))
                    .contains("Opened archive " + dest.resolve("vmtrust.jsa") + ".")
                    .contains("Mapped dynamic region #0");
            String classes = Files.readString(Path.of(cdsLog + ".classes"));
            assertThat(classes).contains("java.lang.Object source: shared objects file");
            if (Runtime.version().feature() >= 25)
                assertThat(classes).contains("dev.vmtrust.Main source: shared objects file (top)");
        }
    }
}
