package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macOS-shaped lane: the macOS code paths on Linux (VMTRUST_TEST_PLATFORM=macos, a switch for tests only)
 * against stand-ins written to Apple's formats (src/test/resources/macos-lane: launchctl, osascript, uname,
 * security), as a Mac user installs: a fresh copy of the project in a folder with a space, scripts/install.sh
 * with `uname` saying Darwin, so everything lands in "~/Library/Application Support/vmtrust" with its AppCDS
 * archive; the agent runs under the stand-in launchd with nothing but the plist's environment. A CA is added to
 * the login keychain and its trust arrives 5 s later (as with `security add-trusted-cert` and its password
 * prompt): a running sandbox VM must trust it within 90 s, a notification goes through osascript, and
 * `uninstall --purge` through a symlinked launcher leaves no file of vmtrust's behind. FSEvents is the one
 * piece this cannot use (the watcher runs on inotify here).
 */
class MacosLaneIT {
    @TempDir
    Path tmp;

    @Test
    void aMacUsersInstallRunsTheAgentUnderLaunchdAndLateTrustReachesTheVm() throws Exception {
        SandboxSupport.assumeSandbox();
        HostTrustStore hostBefore = HostTrustStore.snapshot();
        Path lane = Files.createDirectories(tmp.resolve("mac lane"));
        Path bin = standIns(lane.resolve("bin"));
        Path home = Files.createDirectories(lane.resolve("Users/ada lovelace"));
        Path clone = copyOfProject(lane.resolve("src/vmtrust checkout"));
        TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
        TestCa ca = TestCa.create(tmp.resolve("ca"));
        TestCa old = TestCa.create(tmp.resolve("ca-old")); // already in the System keychain and trusted
        ColimaHome colima = ColimaHome.create(home.resolve("my colima"), keys);
        Path keychains = Files.createDirectories(home.resolve("Library/Keychains"));
        Path login = Files.writeString(keychains.resolve("login.keychain-db"), "");
        Path system = Files.writeString(lane.resolve("System.keychain"), "");
        Files.copy(
                old.caPem(),
                Files.createDirectories(lane.resolve("System.keychain.d")).resolve("old.pem"));
        Files.writeString(lane.resolve("trusted"), sha256(old.caPem()) + "\n");
        Path config = Files.createDirectories(home.resolve(".config/vmtrust")).resolve("config.yaml");
        Files.writeString(config, """
                sources:
                  keychain: {enabled: true, command: "%s", keychains: ["%s", "~/Library/Keychains/login.keychain-db"]}
                  vendorFiles: false
                  publicRoots: none
                targets: {lima: {enabled: false}}
                notify: {desktop: true}
                """.formatted(bin.resolve("security"), system));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("HOME", home.toString());
        env.put("COLIMA_HOME", colima.home().toString());
        env.put("VMTRUST_TEST_PLATFORM", "macos");
        env.put("VMTRUST_TEST_MACOS_BIN", bin.toString());
        Path dest = home.resolve("Library/Application Support/vmtrust");
        Path plist = home.resolve("Library/LaunchAgents/dev.vmtrust.agent.plist");
        Path log = home.resolve("Library/Logs/vmtrust/vmtrust.log");

        try (SandboxVm vm = TlsRegistry.configure(
                                SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey()))
                        .start();
                TlsServer server = TlsServer.start(vm, ca, 8443, tmp.resolve("tls.log"));
                TlsServer oldServer = TlsServer.start(vm, old, 9443, tmp.resolve("tls-old.log"))) {
            colima.running("default", vm);
            assertThat(server.curlExit(vm)).as("x509 before vmtrust").isEqualTo(60);
            try {
                ExecResult install =
                        bare(List.of("sh", clone.resolve("scripts/install.sh").toString()), env, Duration.ofMinutes(8));
                assertThat(install.exitCode())
                        .as(install.stdout() + install.stderr())
                        .isZero();
                assertThat(install.stdout())
                        .contains("installed the vmtrust agent: wrote " + plist + " and loaded it in gui/")
                        .contains("logs: " + log + ". Notifications: ");
                assertThat(dest.resolve("vmtrust.jsa"))
                        .as("install.sh wrote the AppCDS archive")
                        .isRegularFile();
                assertThat(Files.readString(plist))
                        .contains("<key>COLIMA_HOME</key>\n\t\t<string>" + colima.home() + "</string>");
                AgentIT.await(
                        "agent started under launchd",
                        Duration.ofSeconds(60),
                        () -> read(log).contains("vmtrust agent started"));
                AgentIT.await(
                        "first round pushes the System keychain's CA",
                        Duration.ofSeconds(60),
                        () -> oldServer.curlExit(vm) == 0);

                // the CA enters the login keychain (Apple writes keychains by rename); its trust comes 5 s later
                Path certs = Files.createDirectories(keychains.resolve("login.keychain-db.d"));
                Files.copy(ca.caPem(), certs.resolve("corp.pem"));
                long t0 = System.nanoTime();
                Files.move(
                        Files.writeString(keychains.resolve(".login.keychain-db.sb-1"), "1"),
                        login,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(5000);
                Files.writeString(lane.resolve("trusted"), sha256(old.caPem()) + "\n" + sha256(ca.caPem()) + "\n");
                Files.writeString(
                        lane.resolve("trust-settings-user"),
                        "Number of trusted certs = 1\nCert 0: vmtrust test CA\n"
                                + "   Number of trust settings : 1\n   Trust Setting 0:\n      Result Type           : kSecTrustSettingsResultTrustRoot\n");
                AgentIT.await(
                        "the late-trusted CA reaches the VM",
                        Duration.ofSeconds(90),
                        () -> server.curlExit(vm) == 0,
                        () -> read(log));
                System.out.println("macOS lane: CA trusted 5 s after the keychain write reached the VM "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms after the write");
                AgentIT.await(
                        "notification through osascript",
                        Duration.ofSeconds(10),
                        () -> read(lane.resolve("osascript.log")).contains("CA set changed: added"),
                        () -> read(log) + "\nosascript.log:\n" + read(lane.resolve("osascript.log")));
                assertThat(read(lane.resolve("osascript.log"))).contains("\"-e\", \"on run argv\"");

                Path link = Files.createDirectories(home.resolve(".local/bin")).resolve("vmtrust");
                Files.createSymbolicLink(link, dest.resolve("vmtrust"));
                ExecResult status = bare(List.of(link.toString(), "status"), env, Duration.ofMinutes(1));
                assertThat(status.exitCode())
                        .as(status.stdout() + status.stderr())
                        .isZero();
                assertThat(status.stdout()).contains("colima/default");

                ExecResult purge = bare(List.of(link.toString(), "uninstall", "--purge"), env, Duration.ofMinutes(2));
                assertThat(purge.exitCode()).as(purge.stdout() + purge.stderr()).isZero();
                assertThat(purge.stdout()).contains("uninstalled the vmtrust agent: stopped it and removed " + plist);
            } finally {
                stopJobs(lane.resolve("launchd"));
            }
            assertThat(server.curlExit(vm)).as("purged from the VM").isEqualTo(60);
            assertThat(oldServer.curlExit(vm)).as("purged from the VM").isEqualTo(60);
            assertThat(vm.exec(
                                    "sh",
                                    "-c",
                                    "ls /usr/local/share/ca-certificates /etc/vmtrust 2>/dev/null | grep -c vmtrust || true")
                            .stdout()
                            .strip())
                    .isEqualTo("0");
        }
        assertThat(Files.readString(colima.profileYaml("default"))).doesNotContain("vmtrust");
        assertThat(leftovers(home, colima)).isEmpty();
        assertThat(HostTrustStore.snapshot()).isEqualTo(hostBefore);
    }

    /** Files under HOME with vmtrust in their path, except the user's own: config, symlink, the YAML's backup. */
    private static List<Path> leftovers(Path home, ColimaHome colima) throws IOException {
        try (Stream<Path> all = Files.walk(home)) {
            return all.filter(p -> home.relativize(p).toString().contains("vmtrust"))
                    .filter(p -> !p.startsWith(home.resolve(".config/vmtrust"))
                            && !p.equals(home.resolve(".local/bin/vmtrust"))
                            && !p.getFileName().toString().equals("colima.yaml.vmtrust.bak"))
                    .toList();
        }
    }

    /** The lane's stand-ins, executable, plus fake-security as security-base. */
    static Path standIns(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String name : List.of("launchctl", "osascript", "uname", "security"))
            copy("/macos-lane/" + name, bin.resolve(name));
        copy("/fake-security/security", bin.resolve("security-base"));
        return bin;
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = MacosLaneIT.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("test resource " + resource + " is missing");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** What a fresh clone holds: the project's tracked files and new ones not ignored, with their modes. */
    static Path copyOfProject(Path to) throws IOException {
        Path root = SandboxSupport.projectDir();
        ExecResult files = Cmd.run(
                List.of("git", "-C", root.toString(), "ls-files", "-z", "-co", "--exclude-standard"),
                Duration.ofSeconds(30),
                null,
                Map.of());
        assertThat(files.exitCode()).as(files.stderr()).isZero();
        for (String f : files.stdout().split("\0")) {
            if (f.isEmpty() || !Files.isRegularFile(root.resolve(f))) continue;
            Path target = to.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(root.resolve(f), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return to;
    }

    private static String sha256(Path pem) throws Exception {
        String b64 = new ArrayList<>(Files.readAllLines(pem))
                .stream().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        byte[] der = java.util.Base64.getDecoder().decode(b64);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    /**
     * Runs {@code cmd} with exactly {@code env} (a user's shell, not the test JVM's environment: CI's XDG_* or
     * JAVA_HOME must not leak in), from a working directory elsewhere, stdin closed.
     */
    static ExecResult bare(List<String> cmd, Map<String, String> env, Duration timeout) throws Exception {
        Path out = Files.createTempFile("lane", ".out");
        Path err = Files.createTempFile("lane", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(new java.io.File("/"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(new java.io.File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            Cmd.killTree(p);
            throw new AssertionError("timed out after " + timeout + ": " + cmd + "\n" + read(out) + read(err));
        }
        ExecResult r = new ExecResult(p.exitValue(), read(out), read(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** Ends every job the stand-in launchd still has (by its recorded PID): a failed test leaves no agent running. */
    static void stopJobs(Path state) throws Exception {
        if (!Files.isDirectory(state)) return;
        try (Stream<Path> jobs = Files.list(state)) {
            for (Path job : jobs.toList()) {
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\"pid\": (\\d+)").matcher(read(job));
                if (!m.find()) continue;
                ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
            }
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
