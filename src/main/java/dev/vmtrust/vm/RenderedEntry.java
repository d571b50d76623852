package dev.vmtrust.vm;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.trust.CaCert;
import dev.vmtrust.vm.script.VmScript;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells vmtrust's own provision entry from one a user edited: an entry is ours when it is exactly what
 * {@link VmScript#render} gives for the certificates it carries, and those hash to the bundle its marker
 * line names. Anything else (a line added, a certificate added or removed, a changed command) is a user's.
 * A script rendered by an older vmtrust (another template) also counts as edited: its backup is then kept
 * once more, which costs one file and one note, never a user's change.
 */
final class RenderedEntry {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=\n]+)\n-----END CERTIFICATE-----\n");

    private RenderedEntry() {}

    static boolean isOurs(String script) {
        Optional<String> hex = VmScript.markerBundle(script);
        if (hex.isEmpty()) return false;
        List<CaCert> certs = new ArrayList<>();
        Matcher m = PEM.matcher(script);
        try {
            while (m.find()) certs.add(CaCert.fromDer(Base64.getMimeDecoder().decode(m.group(1))));
            CaBundle bundle = CaBundle.of(certs);
            return !bundle.isEmpty()
                    && bundle.fingerprint().equals(hex.get())
                    && VmScript.render(bundle, VmScript.injectsContainers(script))
                            .equals(script);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
