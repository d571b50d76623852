package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.reconcile.Report;
import dev.vmtrust.reconcile.TargetReport;
import dev.vmtrust.testing.CliRun;
import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.LiveStatus;
import dev.vmtrust.vm.Persisted;
import dev.vmtrust.vm.VmState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 finding 6 through the command line: a subject and a profile folder name carrying CR LF, an ESC
 * colour sequence, U+202E (right-to-left override) and markup reach the terminal escaped, word for word.
 */
class HostileTextCliTest {
    /** The hostile part, raw and as shown. */
    static final String EVIL = "a\r\nb\u001b[31mc\u202edcod.exe<a href=\"x\">";

    static final String SHOWN = "a\\r\\nb\\x1b[31mc\\u202edcod.exe<a href=\"x\">";

    @TempDir
    Path tmp;

    private CliRun cli(Path caFile) {
        return new CliRun(tmp.resolve("run")).config("""
                sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s], publicRoots: none}
                targets: {colima: {home: %s}, lima: {home: %s}}
                doctor: {probes: []}
                """.formatted(caFile, tmp.resolve("colima"), tmp.resolve("lima")));
    }

    @Test
    void listShowsAHostileSubjectEscapedOnOneLine() throws Exception {
        TestCerts.Issued evil = TestCerts.rootCa(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, EVIL).build());
        Path caFile = Files.writeString(tmp.resolve("evil.pem"), evil.pem());

        CliRun.Result r = cli(caFile).run("list");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("1 CA (CA set " + CaBundle.of(List.of(evil.cert())).label() + "):\n"
                        + "  " + evil.cert().fp16() + "  CN=a\\r\\nb\\x1b[31mc\\u202edcod.exe\\<a href\\=\\\"x\\\"\\>"
                        + "  expires " + evil.cert().notAfter() + "  from file:" + caFile + "\n"
                        + "public roots: none (sources.publicRoots: none); public CAs are kept\n");
    }

    @Test
    void syncStatusAndDoctorShowAHostileProfileFolderNameEscaped() throws Exception {
        Path caFile = Files.writeString(
                tmp.resolve("corp.pem"), TestCerts.rootCa("CN=Corp Root,O=Corp").pem());
        Files.createDirectories(tmp.resolve("colima").resolve(EVIL));
        Files.writeString(tmp.resolve("colima").resolve(EVIL).resolve("colima.yaml"), "cpu: 2\n");
        CliRun cli = cli(caFile);

        CliRun.Result sync = cli.run("sync");
        CliRun.Result status = cli.run("status");
        CliRun.Result doctor = cli.run("doctor");

        String line = "  colima/" + SHOWN + "  stopped: skipped; provision entry updated";
        assertThat(sync.out().lines().skip(1)).containsExactly(line);
        assertThat(status.out().lines().skip(1)).containsExactly(line);
        assertThat(doctor.out().lines().filter(l -> l.contains("colima/")))
                .containsExactly(
                        "ok    colima/" + SHOWN + "  target-state: stopped; checked when it runs",
                        "ok    colima/" + SHOWN + "  persisted: the provision entry in " + tmp.resolve("colima") + "/"
                                + SHOWN + "/colima.yaml is current");
    }

    @Test
    void theErrorHandlerShowsAHostileConfigPathEscaped() {
        Path config = tmp.resolve(EVIL + ".yaml");

        CliRun.Result r = new CliRun(tmp.resolve("run")).run("--config", config.toString(), "list");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("vmtrust: config file " + tmp + "/" + SHOWN + ".yaml does not exist\n");
    }

    @Test
    void purgeAndProvisionEntryFailuresShowVmOutputAndHintsEscaped() {
        TargetReport vm = new TargetReport(
                "colima/default",
                "colima",
                VmState.RUNNING,
                LiveStatus.FAILED,
                Persisted.UNCHANGED,
                0,
                0,
                List.of(),
                List.of(),
                0,
                "the in-VM script failed: " + EVIL,
                null,
                List.of(),
                List.of());
        TargetReport yaml = new TargetReport(
                "lima/dev",
                "lima",
                VmState.STOPPED,
                LiveStatus.SKIPPED,
                Persisted.FAILED,
                0,
                0,
                List.of(),
                List.of(),
                0,
                "lima.yaml: " + EVIL,
                "fix " + EVIL,
                List.of("-a: x\r\u001b[31m\u202e\n+b\n"),
                List.of());
        Report report = new Report(Instant.EPOCH, "sha256:00", 1, List.of(vm, yaml));

        assertThat(text(report, "purged"))
                .isEqualTo(""
                        + "purged 1970-01-01T00:00:00Z: vmtrust's CA files and provision entries removed\n"
                        + "  colima/default  failed: the in-VM script failed: " + SHOWN + "\n"
                        + "  lima/dev        stopped: nothing to remove in the VM; provision entry failed: lima.yaml: "
                        + SHOWN + "\n"
                        + "                  next: fix " + SHOWN + "\n"
                        + "-a: x\\r\\x1b[31m\\u202e\n+b\n");
        assertThat(text(report, "synced"))
                .isEqualTo(""
                        + "synced 1970-01-01T00:00:00Z: CA set sha256:00 (1 CA)\n"
                        + "  colima/default  failed: the in-VM script failed: " + SHOWN + "\n"
                        + "  lima/dev        stopped: skipped; provision entry failed: lima.yaml: " + SHOWN + "\n"
                        + "                  next: fix " + SHOWN + "\n"
                        + "-a: x\\r\\x1b[31m\\u202e\n+b\n");
    }

    private static String text(Report r, String verb) {
        StringWriter out = new StringWriter();
        ReportText.print(new PrintWriter(out), r, verb);
        return out.toString();
    }
}
