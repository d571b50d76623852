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
    void a_boolean_must_be_true_or_false() {
        assertProblem("sources: {keychain: {trustedOnly: yes please}}",
                "sources.keychain.trustedOnly: expected true or false, got \"yes please\"");
        assertProblem("sources: {vendorFiles: yes}", "sources.vendorFiles: expected true or false, got \"yes\"");
        assertProblem("targets: {persist: 1}", "targets.persist: expected true or false, got 1");
        assertProblem("notify: {desktop: \"true\"}",
                "notify.desktop: expected true or false, got \"true\"; write true without quotes");
    }

    @Test
    void keychain_enabled_must_be_auto_true_or_false() {
        assertProblem("sources: {keychain: {enabled: on}}",
                "sources.keychain.enabled: expected auto, true or false, got \"on\"");
    }

    @Test
    void sourcesHostMustBeAutoTrueOrFalse() {
        assertProblem("sources: {host: linux}", "sources.host: expected auto, true or false, got \"linux\"");
    }

    @Test
    void an_unknown_key_is_named_with_its_full_path_and_a_close_suggestion() {
        assertProblem("targets: {colima: {profile: [work]}}",
                "targets.colima.profile: unknown key; did you mean \"profiles\"?");
        assertProblem("sources: {keychain: {trustedonly: true}}",
                "sources.keychain.trustedonly: unknown key; did you mean \"trustedOnly\"?");
        assertProblem("notifications: {desktop: false}",
                "notifications: unknown key; expected one of: sources, include, exclude, targets, ssh, restart, notify, resync, doctor, containers");
        assertProblem("ssh: {5: x}",
                "ssh.5: unknown key; expected one of: connectTimeout, commandTimeout, allowHosts");
    }

    @Test
    void a_duration_needs_a_number_and_a_unit() {
        assertProblem("resync: 10 minutes",
                "resync: \"10 minutes\" is not a duration; use a number and a unit: 500ms, 30s, 10m, 2h, 1d");
        assertProblem("ssh: {connectTimeout: 30}",
                "ssh.connectTimeout: 30 has no unit; use a number and a unit: 500ms, 30s, 10m, 2h, 1d");
        assertProblem("ssh: {commandTimeout: [1s]}", "ssh.commandTimeout: expected a duration such as 30s, got a list");
    }

    @Test
    void a_duration_must_be_positive_and_resync_at_least_ten_seconds() {
        assertProblem("ssh: {connectTimeout: 0s}", "ssh.connectTimeout: must be more than 0, got \"0s\"");
        assertProblem("resync: 5s", "resync: must be at least 10s, got \"5s\"");
    }

    @Test
    void a_relative_path_is_refused() {
        assertProblem("sources: {files: [/etc/a.pem, certs/corp.pem]}",
                "sources.files[1]: \"certs/corp.pem\" is a relative path; write it absolute or starting with ~/");
        assertProblem("targets: {lima: {home: lima}}",
                "targets.lima.home: \"lima\" is a relative path; write it absolute or starting with ~/");
        assertProblem("sources: {publicRoots: roots.pem}",
                "sources.publicRoots: \"roots.pem\" is a relative path; write it absolute or starting with ~/");
        assertProblem("sources: {keychain: {command: \"\"}}", "sources.keychain.command: expected a path, got \"\"");
    }

    @Test
    void lists_must_be_lists_of_strings() {
        assertProblem("sources: {files: /etc/a.pem}",
                "sources.files: expected a list, got \"/etc/a.pem\"; write [\"/etc/a.pem\"]");
        assertProblem("targets: {colima: {profiles: [work, 2024]}}",
                "targets.colima.profiles[1]: expected a string, got 2024; put it in quotes: \"2024\"");
        assertProblem("ssh: {allowHosts: [\"\"]}", "ssh.allowHosts[0]: expected a name, got \"\"");
        assertProblem("targets: {lima: {instances: [dev, null]}}",
                "targets.lima.instances[1]: expected a value, got nothing");
        assertProblem("notify: {command: [\"\", --x]}", "notify.command[0]: expected a program, got \"\"");
        assertProblem("notify: {command: [hook, {a: b}]}", "notify.command[1]: expected a string, got a mapping");
    }

    @Test
    void a_section_must_be_a_mapping() {
        assertProblem("targets: [colima]", "targets: expected a mapping of keys, got a list");
    }

    @Test
    void restart_and_public_roots_take_their_words() {
        assertProblem("restart: sometimes", "restart: expected auto, always or never, got \"sometimes\"");
        assertProblem("sources: {publicRoots: false}",
                "sources.publicRoots: expected auto, none or the path of a PEM file, got false");
    }

    @Test
    void probes_must_be_https_urls() {
        assertProblem("doctor: {probes: [\"http://pypi.org/simple/\"]}",
                "doctor.probes[0]: expected an https:// URL, got \"http://pypi.org/simple/\"");
        assertProblem("doctor: {probes: [\"https://\"]}", "doctor.probes[0]: expected an https:// URL, got \"https://\"");
    }

    @Test
    void sha256_filters_must_be_64_hex_digits() {
        assertProblem("include: [\"sha256:xyz\"]",
                "include[0]: \"sha256:xyz\" is not a SHA-256 fingerprint; write sha256: followed by 64 hex digits");
        assertProblem("exclude: [\"\"]", "exclude[0]: expected a subject substring or sha256:HEX, got \"\"");
    }

    @Test
    void every_problem_is_reported_at_once_in_file_order_of_sections() {
        assertThat(problems("""
                sources:
                  keychain: {trustedOnly: yes please}
                  files: [certs/corp.pem]
                targets:
                  colima: {profile: [work]}
                resync: 10 minutes
                """)).containsExactly(
                F + "sources.keychain.trustedOnly: expected true or false, got \"yes please\"",
                F + "sources.files[0]: \"certs/corp.pem\" is a relative path; write it absolute or starting with ~/",
                F + "targets.colima.profile: unknown key; did you mean \"profiles\"?",
                F + "resync: \"10 minutes\" is not a duration; use a number and a unit: 500ms, 30s, 10m, 2h, 1d");
    }

    @Test
    void a_duplicate_key_is_refused_with_its_line() {
        assertProblem("resync: 10m\nrestart: auto\nresync: 20m\n",
                "invalid YAML at line 3, column 1: duplicate key \"resync\"");
        assertProblem("ssh:\n  connectTimeout: 1s\n  connectTimeout: 2s\n",
                "invalid YAML at line 3, column 3: duplicate key \"connectTimeout\"");
    }

    @Test
    void invalid_yaml_is_reported_with_line_and_column() {
        assertProblem("sources:\n  files: [/a.pem\nresync: 10m\n",
                "invalid YAML at line 3, column 7: expected ',' or ']', but got :");
        assertProblem("resync: 10m\n---\nresync: 20m\n",
                "invalid YAML at line 2, column 1: expected a single document in the stream, but found another document");
    }

    @Test
    void the_top_level_must_be_a_mapping() {
        assertProblem("- resync: 10m\n", "expected a mapping of keys at the top level, got a list");
        assertProblem("just words\n", "expected a mapping of keys at the top level, got \"just words\"");
    }

    @Test
    void arbitrary_types_are_refused() {
        assertThat(problems("resync: !!javax.script.ScriptEngineManager [10m]\n")).singleElement()
                .asString().startsWith(F + "invalid YAML at line 1, column 9: ");
    }

    @Test
    void key_suggestions_need_a_small_distance() {
        assertThat(KeyNames.suggest("profile", List.of("enabled", "profiles"))).contains("profiles");
        assertThat(KeyNames.suggest("xyz", List.of("enabled", "profiles"))).isEmpty();
        assertThat(KeyNames.distance("kitten", "sitting")).isEqualTo(3);
    }
}
