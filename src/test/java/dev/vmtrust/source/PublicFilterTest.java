package dev.vmtrust.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmtrust.testing.TestCerts;
import dev.vmtrust.trust.CaCert;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicFilterTest {
    private final TestCerts.Issued publicRoot = TestCerts.rootCa("CN=Public Root,O=Public Trust");
    private final TestCerts.Issued publicIssuing =
            TestCerts.intermediate("CN=Public Issuing,O=Public Trust", publicRoot);
    private final TestCerts.Issued publicSub = TestCerts.intermediate("CN=Public Sub,O=Public Trust", publicIssuing);
    private final TestCerts.Issued corpRoot = TestCerts.rootCa("CN=Corp Root,O=Corp");
    private final TestCerts.Issued corpIssuing = TestCerts.intermediate("CN=Corp Issuing,O=Corp", corpRoot);
    private final PublicFilter filter = new PublicFilter(List.of(publicRoot.cert()));
    private final List<CaCert> found =
            List.of(publicRoot.cert(), publicIssuing.cert(), publicSub.cert(), corpRoot.cert(), corpIssuing.cert());

    @Test
    void aPublicRootIsDropped() {
        assertThat(filter.reason(publicRoot.cert(), found)).contains("public root; VMs already trust it");
    }

    @Test
    void intermediatesUnderAPublicRootAreDroppedEvenThroughOtherIntermediates() {
        String reason = "chains to public root \"CN=Public Root,O=Public Trust\"; VMs already trust it";
        assertThat(filter.reason(publicIssuing.cert(), found)).contains(reason);
        assertThat(filter.reason(publicSub.cert(), List.of(publicSub.cert(), publicIssuing.cert())))
                .contains(reason);
    }

    @Test
    void corporateRootsAndTheirIntermediatesStay() {
        assertThat(filter.reason(corpRoot.cert(), found)).isEmpty();
        assertThat(filter.reason(corpIssuing.cert(), found)).isEmpty();
    }

    @Test
    void anIntermediateWhoseIssuerWasNotFoundStays() {
        assertThat(filter.reason(publicSub.cert(), List.of(publicSub.cert()))).isEmpty();
    }

    @Test
    void aLookalikeWithThePublicRootsNameButAnotherKeyStays() {
        TestCerts.Issued lookalike = TestCerts.rootCa("CN=Public Root,O=Public Trust");
        assertThat(filter.reason(lookalike.cert(), List.of(lookalike.cert()))).isEmpty();
    }

    @Test
    void withApplesRootsAsTheFallbackOnlyAnExactSelfSignedRootIsDroppedNeverItsChain() {
        PublicFilter apple = new PublicFilter(List.of(publicRoot.cert()), false);
        assertThat(apple.reason(publicRoot.cert(), found)).contains("public root; VMs already trust it");
        assertThat(apple.reason(publicIssuing.cert(), found)).isEmpty();
        assertThat(apple.reason(publicSub.cert(), found)).isEmpty();
    }
}
