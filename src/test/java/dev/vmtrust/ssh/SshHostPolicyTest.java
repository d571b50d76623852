package dev.vmtrust.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshHostPolicyTest {

    @Test
    void loopback_spellings_are_recognised() {
        for (String h : List.of("127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1")) {
            assertThat(SshHostPolicy.isLoopback(h)).as(h).isTrue();
        }
        for (String h : List.of("10.0.0.5", "128.0.0.1", "127.0.0.256", "localhost.example.com", "127.0.0", "::2", "vm.local")) {
            assertThat(SshHostPolicy.isLoopback(h)).as(h).isFalse();
        }
    }

    @Test
    void a_non_loopback_host_is_refused_before_connecting_with_the_way_out() {
        SshHostPolicy policy = new SshHostPolicy(List.of());
        assertThatThrownBy(() -> policy.check(ep("10.0.0.5"), "lima/dev"))
                .isInstanceOfSatisfying(SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.POLICY))
                .hasMessage("lima/dev: ssh.config points at 10.0.0.5, which is not loopback; vmtrust only connects"
                        + " to loopback unless you add it to ssh.allowHosts in the config");
    }

    @Test
    void hosts_listed_in_allowHosts_are_accepted() {
        SshHostPolicy policy = new SshHostPolicy(List.of("10.0.0.5", "VM.Example"));
        assertThatCode(() -> policy.check(ep("10.0.0.5"), "lima/dev")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(ep("vm.example"), "lima/dev")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(ep("127.0.0.1"), "lima/dev")).doesNotThrowAnyException();
        assertThat(policy.allowed("10.0.0.6")).isFalse();
    }

    private static SshEndpoint ep(String host) {
        return new SshEndpoint(host, 22, "u", Path.of("/k"));
    }
}
