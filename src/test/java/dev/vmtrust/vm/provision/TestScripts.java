package dev.vmtrust.vm.provision;

/** Provision scripts shaped like vmtrust's: marker line, sh with quotes, $, backticks, base64. */
final class TestScripts {
    private TestScripts() {}

    static final String BASE64_LINE = "MIIB".repeat(200);

    /** A script for bundle hex; cert is a varying line so that two versions differ in a few lines. */
    static String script(char hexDigit, String cert) {
        return ProvisionEditor.markerLine(String.valueOf(hexDigit).repeat(64)) + "\n"
                + "set -eu\n"
                + "ROOT=\"${VMTRUST_ROOT:-}\"\n"
                + "# a comment: with a colon, 'single' and \"double\" quotes\n"
                + "dir=\"$ROOT/usr/local/share/ca-certificates\"\n"
                + "cat > \"$dir/vmtrust-0123456789abcdef.crt\" <<'PEM'\n"
                + "-----BEGIN CERTIFICATE-----\n"
                + BASE64_LINE + "\n"
                + cert + "\n"
                + "-----END CERTIFICATE-----\n"
                + "PEM\n"
                + "\n"
                + "if [ -n \"`command -v update-ca-certificates`\" ]; then\n"
                + "\tupdate-ca-certificates >/dev/null # tab-indented: {not: yaml} - [x]\n"
                + "fi\n"
                + "echo 'done: 100%' && exit 0\n";
    }

    static final String SCRIPT = script('a', "Zm9vYmFy");
    static final String SCRIPT2 = script('b', "YmF6cXV4");
}
