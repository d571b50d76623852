package dev.vmtrust.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LateTrustTest {
    private static final Path LOGIN = Path.of("/Users/ada/Library/Keychains/login.keychain-db");
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean() && System.nanoTime() < end) Thread.sleep(5);
    }

    @Test
    void aKeychainAndItsWriteAheadLogCountAsTheKeychainAndNothingElseDoes() {
        try (LateTrust lt = new LateTrust(Set.of(LOGIN), List.of(), Duration.ofMinutes(1), Optional::empty)) {
            assertThat(lt.isKeychain(LOGIN)).isTrue();
            assertThat(lt.isKeychain(Path.of(LOGIN + "-wal"))).isTrue();
            assertThat(lt.isKeychain(Path.of(LOGIN + "-shm"))).isFalse();
            assertThat(lt.isKeychain(Path.of("/Users/ada/Library/Keychains/other.keychain-db-wal")))
                    .isFalse();
        }
    }

    @Test
    void aKeychainEventIsFollowedByReReadsAfterGrowingDelaysAndANewEventRestartsThem() throws Exception {
        try (LateTrust lt = new LateTrust(
                Set.of(LOGIN),
                List.of(Duration.ofMillis(200), Duration.ofMillis(400)),
                Duration.ofMinutes(1),
                Optional::empty)) {
            lt.start(requests::add);
            lt.keychainChanged();
            Thread.sleep(100);
            lt.keychainChanged(); // cancels the first series
            await(() -> requests.size() >= 2);
            Thread.sleep(300);

            assertThat(requests)
                    .containsExactly(
                            "keychain re-read 200ms after a keychain change (its trust setting may come later)",
                            "keychain re-read 400ms after a keychain change (its trust setting may come later)");
        }
    }

    @Test
    void aChangedTrustSettingsFingerprintAsksForAReconcileAndAnUnreadableOneIsIgnored() throws Exception {
        AtomicReference<Optional<String>> fp = new AtomicReference<>(Optional.of("a"));
        try (LateTrust lt = new LateTrust(Set.of(LOGIN), List.of(), Duration.ofMillis(20), fp::get)) {
            lt.start(requests::add);
            Thread.sleep(100);
            assertThat(requests).isEmpty(); // the first reading is the baseline
            fp.set(Optional.empty());
            Thread.sleep(100);
            assertThat(requests).isEmpty();
            fp.set(Optional.of("b"));
            await(() -> !requests.isEmpty());
            Thread.sleep(100);

            assertThat(requests).containsExactly("trust settings changed");
        }
    }
}
