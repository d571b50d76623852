package dev.vmtrust.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.provision.ProvisionFile;
import dev.vmtrust.vm.script.VmScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provision entry with containers.inject: written as rendered, recognised as ours both ways (no backup note). */
class PersistSyncContainersTest {
    static final CaBundle SET =
            CaBundle.of(List.of(TestCerts.rootCa("CN=Corp Root,O=Corp").cert()));

    @TempDir
    Path tmp;

    @Test
    void theEntrySwitchesBetweenOnAndOffWithoutTakingEitherForAUsersEdit() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("colima.yaml"), "cpu: 2\nprovision: []\n");
        String on = VmScript.render(SET, true), off = VmScript.render(SET, false);

        PersistSync.Outcome first = PersistSync.upsert(yaml, on, false, false);
        PersistSync.Outcome again = PersistSync.upsert(yaml, on, false, false);
        assertThat(new ProvisionFile(yaml).currentScript()).contains(on);
        PersistSync.Outcome back = PersistSync.upsert(yaml, off, false, false);

        assertThat(first.persisted()).isEqualTo(Persisted.UPDATED);
        assertThat(again.persisted()).isEqualTo(Persisted.UNCHANGED);
        assertThat(back.persisted()).isEqualTo(Persisted.UPDATED);
        assertThat(back.note()).as("the on entry was ours, not a user's edit").isNull();
        assertThat(new ProvisionFile(yaml).currentScript()).contains(off);
        assertThat(RenderedEntry.isOurs(on)).isTrue();
        assertThat(RenderedEntry.isOurs(on.replace("CT_WANT='on ", "CT_WANT='off ")))
                .isFalse();
    }
}
