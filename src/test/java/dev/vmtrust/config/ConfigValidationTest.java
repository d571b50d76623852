package dev.vmtrust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of problem, asserted word for word as the user reads it. */
class ConfigValidationTest {
    static final Path FILE = Path.of("/home/u/.config/vmtrust/config.yaml");
    static final Environment ENV = new Environment(Map.of("HOME", "/home/u"), Os.LINUX);
    static final String F = FILE + ": ";

    static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(FILE, yaml, ENV));
        assertThat(e).as("expected a ConfigException for:\n" + yaml).isNotNull();
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems();
    }

    static void assertProblem(String yaml, String expected) {
        assertThat(problems(yaml)).containsExactly(F + expected);
    }

    @Test
    void aBooleanMustBeTrueOrFalse() {
        assertProblem(
                "sources: {keychain: {trustedOnly: yes please}}",
                "sources.keychain.trustedOnly: expected true or false, got \"yes please\"");
        assertProblem("sources: {vendorFiles: yes}", "sources.vendorFiles: expected true or false, got \"yes\"");
        assertProblem("targets: {persist: 1}", "targets.persist: expected true or false, got 1");
        assertProblem(
                "notify: {desktop: \"true\"}",
                "notify.desktop: expected true or false, got \"true\"; write true without quotes");
    }

    @Test
    void keychainEnabledMustBeAutoTrueOrFalse() {
        assertProblem(
                "sources: {keychain: {enabled: on}}",
                "sources.keychain.enabled: expected auto, true or false, got \"on\"");
    }

    @Test
    void sourcesHostMustBeAutoTrueOrFalse() {
        assertProblem("sources: {host: linux}", "sources.host: expected auto, true or false, got \"linux\"");
    }

    @Test
    void anUnknownKeyIsNamedWithItsFullPathAndACloseSuggestion() {
        assertProblem(
                "targets: {colima: {profile: [work]}}",
                "targets.colima.profile: unknown key; did you mean \"profiles\"?");
        assertProblem(
                "sources: {keychain: {trustedonly: true}}",
                "sources.keychain.trustedonly: unknown key; did you mean \"trustedOnly\"?");
        assertProblem(
                "notifications: {desktop: false}",
                "notifications: unknown key; expected one of: sources, include, exclude, targets, ssh, restart, notify, resync, doctor, containers");
        assertProblem("ssh: {5: x}", "ssh.5: unknown key; expected one of: connectTimeout, commandTimeout, allowHosts");
    }

    @Test
    void aDurationNeedsANumberAndAUnit() {
        assertProblem(
                "resync: 10 minutes",
                "resync: \"10 minutes\" is not a duration; use a number and a unit: 500ms, 30s, 10m, 2h, 1d");
        assertProblem(
                "ssh: {connectTimeout: 30}",
                "ssh.connectTimeout: 30 has no unit; use a number and a unit: 500ms, 30s, 10m, 2h, 1d");
        assertProblem("ssh: {commandTimeout: [1s]}", "ssh.commandTimeout: expected a duration such as 30s, got a list");
    }

    @Test
    void aDurationMustBePositiveAndResyncAtLeastTenSeconds() {
        assertProblem("ssh: {connectTimeout: 0s}", "ssh.connectTimeout: must be more than 0, got \"0s\"");
        assertProblem("resync: 5s", "resync: must be at least 10s, got \"5s\"");
    }

    @Test
    void aRelativePathIsRefused() {
        assertProblem(
                "sources: {files: [/etc/a.pem, certs/corp.pem]}",
                "sources.files[1]: \"certs/corp.pem\" is a relative path; write it absolute or starting with ~/");
        assertProblem(
                "targets: {lima: {home: lima}}",
                "targets.lima.home: \"lima\" is a relative path; write it absolute or starting with ~/");
        assertProblem(
                "sources: {publicRoots: roots.pem}",
                "sources.publicRoots: \"roots.pem\" is a relative path; write it absolute or starting with ~/");
        assertProblem("sources: {keychain: {command: \"\"}}", "sources.keychain.command: expected a path, got \"\"");
    }

    @Test
    void listsMustBeListsOfStrings() {
        assertProblem(
                "sources: {files: /etc/a.pem}",
                "sources.files: expected a list, got \"/etc/a.pem\"; write [\"/etc/a.pem\"]");
        assertProblem(
                "targets: {colima: {profiles: [work, 2024]}}",
                "targets.colima.profiles[1]: expected a string, got 2024; put it in quotes: \"2024\"");
        assertProblem("ssh: {allowHosts: [\"\"]}", "ssh.allowHosts[0]: expected a name, got \"\"");
        assertProblem(
                "targets: {lima: {instances: [dev, null]}}",
                "targets.lima.instances[1]: expected a value, got nothing");
        assertProblem("notify: {command: [\"\", --x]}", "notify.command[0]: expected a program, got \"\"");
        assertProblem("notify: {command: [hook, {a: b}]}", "notify.command[1]: expected a string, got a mapping");
    }

    @Test
    void aSectionMustBeAMapping() {
        assertProblem("targets: [colima]", "targets: expected a mapping of keys, got a list");
    }

    @Test
    void restartAndPublicRootsTakeTheirWords() {
        assertProblem("restart: sometimes", "restart: expected auto, always or never, got \"sometimes\"");
        assertProblem(
                "sources: {publicRoots: false}",
                "sources.publicRoots: expected auto, none or the path of a PEM file, got false");
    }

    @Test
    void probesMustBeHttpsUrls() {
        assertProblem(
                "doctor: {probes: [\"http://pypi.org/simple/\"]}",
                "doctor.probes[0]: expected an https:// URL, got \"http://pypi.org/simple/\"");
        assertProblem(
                "doctor: {probes: [\"https://\"]}", "doctor.probes[0]: expected an https:// URL, got \"https://\"");
    }

    @Test
    void sha256FiltersMustBe64HexDigits() {
        assertProblem(
                "include: [\"sha256:xyz\"]",
                "include[0]: \"sha256:xyz\" is not a SHA-256 fingerprint; write sha256: followed by 64 hex digits");
        assertProblem("exclude: [\"\"]", "exclude[0]: expected a subject substring or sha256:HEX, got \"\"");
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrderOfSections() {
        assertThat(problems("""
                sources:
                  keychain: {trustedOnly: yes please}
                  files: [certs/corp.pem]
                targets:
                  colima: {profile: [work]}
                resync: 10 minutes
                """))
                .containsExactly(
                        F + "sources.keychain.trustedOnly: expected true or false, got \"yes please\"",
                        F
                                + "sources.files[0]: \"certs/corp.pem\" is a relative path; write it absolute or starting with ~/",
                        F + "targets.colima.profile: unknown key; did you mean \"profiles\"?",
                        F
                                + "resync: \"10 minutes\" is not a duration; use a number and a unit: 500ms, 30s, 10m, 2h, 1d");
    }

    @Test
    void aDuplicateKeyIsRefusedWithItsLine() {
        assertProblem(
                "resync: 10m\nrestart: auto\nresync: 20m\n",
                "invalid YAML at line 3, column 1: duplicate key \"resync\"");
        assertProblem(
                "ssh:\n  connectTimeout: 1s\n  connectTimeout: 2s\n",
                "invalid YAML at line 3, column 3: duplicate key \"connectTimeout\"");
    }

    @Test
    void invalidYamlIsReportedWithLineAndColumn() {
        assertProblem(
                "sources:\n  files: [/a.pem\nresync: 10m\n",
                "invalid YAML at line 3, column 7: expected ',' or ']', but got :");
        assertProblem(
                "resync: 10m\n---\nresync: 20m\n",
                "invalid YAML at line 2, column 1: expected a single document in the stream, but found another document");
    }

    @Test
    void theTopLevelMustBeAMapping() {
        assertProblem("- resync: 10m\n", "expected a mapping of keys at the top level, got a list");
        assertProblem("just words\n", "expected a mapping of keys at the top level, got \"just words\"");
    }

    @Test
    void arbitraryTypesAreRefused() {
        assertThat(problems("resync: !!javax.script.ScriptEngineManager [10m]\n"))
                .singleElement()
                .asString()
                .startsWith(F + "invalid YAML at line 1, column 9: ");
    }

    @Test
    void keySuggestionsNeedASmallDistance() {
        assertThat(KeyNames.suggest("profile", List.of("enabled", "profiles"))).contains("profiles");
        assertThat(KeyNames.suggest("xyz", List.of("enabled", "profiles"))).isEmpty();
        assertThat(KeyNames.distance("kitten", "sitting")).isEqualTo(3);
    }
}
