package dev.vmtrust.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 finding 5 on a sandbox VM: a large CA set (5000 by default, {@code -Dvmtrust.scale.cas=N})
 * through a first sync, a no-change sync and a one-CA rotation, each well inside the 120 s command
 * timeout. Prints the three times (the numbers in the report).
 */
class ScaleIT {
    private static final int CAS = Integer.getInteger("vmtrust.scale.cas", 5000);
    /**
     * The live part alone by default: provision entries hold at most {@code PersistSync.MAX_PERSISTED_CAS} (1000)
     * CAs, so a 5000-CA set is refused there by design; -Dvmtrust.scale.persist=true with -Dvmtrust.scale.cas=1000
     * measures both.
     */
    private static final boolean PERSIST = "true".equals(System.getProperty("vmtrust.scale.persist"));

    @TempDir
    Path tmp;

    private TestKeys keys;

    @BeforeEach
    void prerequisites() {
        SandboxSupport.assumeSandbox();
        keys = TestKeys.generate(tmp.resolve("keys"));
    }

    @Test
    void aLargeSetSyncsAndANoChangeSyncAndAOneCaRotationTakeSeconds() throws Exception {
        List<CaCert> cas = new ArrayList<>(TestCerts.rootsSharingOneKey(CAS + 1, "Scale Root"));
        CaCert spare = cas.remove(CAS);
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("cas"));
        String files = write(dir, cas);
        try (SandboxVm vm = SandboxVm.options(tmp.resolve("vm"), FreePort.pick(), keys.publicKey())
                .start()) {
            ColimaHome colima = ColimaHome.create(tmp.resolve("colima"), keys).running("default", vm);
            // the VM's sbin comes first on sudo's PATH: time each real trust update (ms, one line per run)
            Path timing = vm.dir().resolve("sbin/tool-ms");
            Path wrapper = Files.writeString(vm.dir().resolve("sbin/update-ca-certificates"), """
                    #!/bin/sh
                    s=$(date +%s%N); /usr/sbin/update-ca-certificates "$@"; rc=$?
                    echo $(( ($(date +%s%N) - s) / 1000000 )) >>/usr/local/sbin/tool-ms; exit $rc
                    """);
            Files.setPosixFilePermissions(
                    wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            CliRun cli = new CliRun(tmp.resolve("run"))
                    .config("""
                    sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                    targets: {colima: {home: %s}, lima: {home: %s}, persist: %s}
                    """.formatted(files, colima.home(), tmp.resolve("lima"), PERSIST));

            long first = timed(cli, "first");
            long noChange = timed(cli, "no-change");
            cas.set(CAS / 2, spare);
            write(dir, cas);
            long rotation = timed(cli, "rotation");
            // Debian's update-ca-certificates (it spawns ~4 processes per certificate on every run), as timed in the
            // VM: the first sync's 5000 new files are the tool's to link; the rotation (two links) leaves it only the
            // bundle to rebuild, which the script does itself
            List<String> runs = Files.readAllLines(timing);
            assertThat(runs).as("trust tool runs: the first sync only").hasSize(1);
            System.out.printf(
                    "ScaleIT %d CAs (persist: " + PERSIST + "): first sync %.1f s (trust tool %.1f s),"
                            + " no-change sync %.1f s, one-CA rotation %.1f s (bundle rebuilt by the script)%n",
                    CAS,
                    first / 1000.0,
                    Long.parseLong(runs.get(0).strip()) / 1000.0,
                    noChange / 1000.0,
                    rotation / 1000.0);
            // the script's bundle is the tool's: run now, the tool adds and removes nothing and writes the same bytes
            String before =
                    vm.exec("sha256sum", "/etc/ssl/certs/ca-certificates.crt").stdout();
            var tool = vm.exec("/usr/sbin/update-ca-certificates");
            assertThat(tool.stdout()).as(tool.stderr()).contains("0 added, 0 removed");
            assertThat(vm.exec("sha256sum", "/etc/ssl/certs/ca-certificates.crt")
                            .stdout())
                    .isEqualTo(before);

            String stamp = vm.exec("cat", "/etc/vmtrust/bundle.sha256").stdout().strip();
            assertThat(stamp).isEqualTo(CaBundle.of(cas).fingerprint());
            String count = vm.exec("sh", "-c", "ls /usr/local/share/ca-certificates | grep -c '^vmtrust-'")
                    .stdout()
                    .strip();
            assertThat(count).isEqualTo(String.valueOf(CAS));
            assertThat(noChange).as("no-change sync ms").isLessThan(15_000);
            assertThat(rotation).as("rotation ms").isLessThan(15_000);
        }
    }

    private static long timed(CliRun cli, String what) {
        long t0 = System.nanoTime();
        CliRun.Result r = cli.run("sync");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.exit()).as(what + ": " + r.out() + r.err()).isZero();
        return ms;
    }

    /** Files of 500 CAs each (a source file may hold 1 MiB); returns them as a YAML flow list's items. */
    private static String write(Path dir, List<CaCert> cas) throws Exception {
        List<String> names = new ArrayList<>();
        for (int from = 0, i = 0; from < cas.size(); from += 500, i++) {
            StringBuilder sb = new StringBuilder();
            for (CaCert c : cas.subList(from, Math.min(cas.size(), from + 500))) sb.append(c.pem());
            Path file = dir.resolve("corp-" + i + ".pem");
            Path tmp = dir.resolve("corp-" + i + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            names.add(file.toString());
        }
        return String.join(", ", names);
    }
}
