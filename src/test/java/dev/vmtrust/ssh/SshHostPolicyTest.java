package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SshHostPolicyTest {
    private final List<String> lookedUp = new ArrayList<>();

    @Test
    void loopbackSpellingsAreRecognised() {
        for (String h : List.of(
                "127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "localhost.", "::1", "[::1]", "0:0:0:0:0:0:0:1")) {
            assertThat(SshHostPolicy.isLoopback(h)).as(h).isTrue();
        }
        for (String h : List.of(
                "10.0.0.5", "128.0.0.1", "127.0.0.256", "localhost.example.com", "127.0.0", "::2", "vm.local")) {
            assertThat(SshHostPolicy.isLoopback(h)).as(h).isFalse();
        }
    }

    @Test
    void aNonLoopbackHostIsRefusedBeforeAnyLookupWithTheWayOut() {
        SshHostPolicy policy = policy(List.of(), Map.of());
        assertThatThrownBy(() -> policy.check(ep("10.0.0.5"), "lima/dev"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.POLICY))
                .hasMessage("lima/dev: ssh.config points at 10.0.0.5, which is not loopback; vmtrust only connects"
                        + " to loopback unless you add it to ssh.allowHosts in the config");
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void localhostWithATrailingDotThatDnsAnswersWithANonLoopbackAddressIsRefused() {
        for (String name : List.of("localhost.", "LOCALHOST.")) {
            SshHostPolicy policy = policy(List.of(), Map.of(name.toLowerCase(), new String[] {"10.99.0.1"}));
            assertThatThrownBy(() -> policy.check(ep(name), "colima/default"))
                    .isInstanceOfSatisfying(
                            SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.POLICY))
                    .hasMessage("colima/default: ssh.config points at " + name + " (10.99.0.1), which is not loopback;"
                            + " vmtrust only connects to loopback unless you add it to ssh.allowHosts in the config");
        }
    }

    @Test
    void aNameResolvingToLoopbackAndNonLoopbackAddressesIsRefused() {
        SshHostPolicy policy = policy(List.of(), Map.of("localhost", new String[] {"127.0.0.1", "192.0.2.7"}));
        assertThatThrownBy(() -> policy.check(ep("localhost"), "lima/dev"))
                .hasMessage("lima/dev: ssh.config points at localhost (127.0.0.1, 192.0.2.7), which is not loopback;"
                        + " vmtrust only connects to loopback unless you add it to ssh.allowHosts in the config");
    }

    @Test
    void loopbackAddressesAreReturnedAsTheOneAddressToConnectTo() throws Exception {
        SshHostPolicy policy = policy(List.of(), Map.of("localhost", new String[] {"127.0.0.1", "::1"}));
        assertThat(policy.check(ep("localhost"), "lima/dev").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(policy.check(ep("[::1]"), "lima/dev").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(policy.check(ep("127.0.0.2"), "lima/dev").getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(lookedUp).containsExactly("localhost", "::1", "127.0.0.2");
    }

    @Test
    void hostsListedInAllowHostsAreAcceptedWhateverTheyResolveTo() throws Exception {
        SshHostPolicy policy =
                policy(List.of("10.0.0.5", "VM.Example"), Map.of("vm.example", new String[] {"192.0.2.9"}));
        assertThat(policy.check(ep("10.0.0.5"), "lima/dev").getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(policy.check(ep("vm.example"), "lima/dev").getHostAddress()).isEqualTo("192.0.2.9");
        assertThatThrownBy(() -> policy.check(ep("10.0.0.6"), "lima/dev")).isInstanceOf(SshException.class);
    }

    @Test
    void aLoopbackNameThatDoesNotResolveIsAConfigError() {
        SshHostPolicy policy = policy(List.of(), Map.of());
        assertThatThrownBy(() -> policy.check(ep("localhost."), "colima/work"))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.CONFIG))
                .hasMessage("colima/work: ssh.config points at localhost., which does not resolve to an address;"
                        + " try: colima restart work");
    }

    /** Literals are parsed without a lookup, names answered from {@code names}; every call is recorded. */
    private SshHostPolicy policy(List<String> allow, Map<String, String[]> names) {
        return new SshHostPolicy(allow, host -> {
            lookedUp.add(host);
            String[] addrs = names.get(host);
            if (addrs == null) {
                if (!host.matches("[0-9.]+|[0-9a-f:]+")) throw new UnknownHostException(host);
                addrs = new String[] {host};
            }
            InetAddress[] out = new InetAddress[addrs.length];
            for (int i = 0; i < addrs.length; i++) out[i] = InetAddress.getByName(addrs[i]); // literals: no lookup
            return out;
        });
    }

    private static SshEndpoint ep(String host) {
        return new SshEndpoint(host, 22, "u", Path.of("/k"));
    }
}
