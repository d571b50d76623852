package dev.vmtrust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void control_characters_from_a_subject_are_shown_not_sent_to_the_terminal() {
        assertThat(Printable.of("CN=a\nb\u001b]0;pwned\u0007é")).isEqualTo("CN=a\\nb\\x1b]0;pwned\\x07é");
    }
}
