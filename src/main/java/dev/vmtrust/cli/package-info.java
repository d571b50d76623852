/**
 * The command line: picocli commands ({@link dev.vmtrust.cli.Cli} and one class per subcommand), the
 * {@link dev.vmtrust.cli.Context} every command gets from {@link dev.vmtrust.Main} (or a test), the text and
 * JSON printing of reports, logging set-up, and the exit codes ({@link dev.vmtrust.cli.ExitCodes}, DESIGN's
 * table: only this package decides them). Commands parse, call one flow and print; they hold no logic of
 * their own that another entry point would need.
 *
 * <p>May import: every other package (it is the top); nothing imports it except {@code dev.vmtrust.Main}.
 */
package dev.vmtrust.cli;
