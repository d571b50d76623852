package dev.vmtrust.config;

import static dev.vmtrust.config.ConfigValidationTest.ENV;
import static dev.vmtrust.config.ConfigValidationTest.FILE;
import static dev.vmtrust.config.ConfigValidationTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code containers.inject}: off by default, a boolean, and misspellings named. */
class ContainersConfigTest {
    @Test
    void injectIsOffByDefaultAndReadWhenSet() throws Exception {
        assertThat(ConfigLoader.parse(FILE, "restart: auto\n", ENV).containers().inject())
                .isFalse();
        assertThat(Config.defaults(FILE, ENV).containers()).isEqualTo(new Config.Containers(false));
        assertThat(ConfigLoader.parse(FILE, "containers: {inject: true}\n", ENV)
                        .containers()
                        .inject())
                .isTrue();
        assertThat(ConfigLoader.parse(FILE, "containers:\n", ENV).containers().inject())
                .isFalse();
    }

    @Test
    void aBadValueOrKeyIsNamedWithItsPath() {
        assertProblem("containers: {inject: yes}", "containers.inject: expected true or false, got \"yes\"");
        assertProblem("containers: {injekt: true}", "containers.injekt: unknown key; did you mean \"inject\"?");
        assertProblem("container: {inject: true}", "container: unknown key; did you mean \"containers\"?");
        assertProblem("containers: true", "containers: expected a mapping of keys, got true");
    }
}
