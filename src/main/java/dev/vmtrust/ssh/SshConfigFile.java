package dev.vmtrust.ssh;

import dev.vmtrust.platform.BoundedFiles;
import dev.vmtrust.platform.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the ssh.config Lima writes into each instance dir (format: docs/reference colima-lima.md).
 * We parse it ourselves because JSch's OpenSSHConfig keeps the double quotes Lima puts around values.
 *
 * <p>Contract: {@code Key value} or {@code Key=value} lines, keys case-insensitive, {@code #} comment
 * lines, a value is either a double-quoted string or one unquoted word; the first value of a key wins
 * (as in ssh) whatever {@code Host} block it is in (Lima writes exactly one). A leading {@code ~} is
 * expanded from {@code $HOME}. The file is re-read on every connection: the port changes on each start.
 * The key file is only checked to exist, be a readable regular file and be at most
 * {@link BoundedFiles#IDENTITY} (from its attributes); it is never opened here. The ssh.config itself is read
 * through {@link BoundedFiles} (a FIFO or device is refused without blocking).
 */
public final class SshConfigFile {
    private SshConfigFile() {}

    /** Reads and validates {@code file}; every problem is an {@link SshException} of kind CONFIG. */
    public static SshEndpoint read(Path file, String targetName, Environment env) throws SshException {
        String text;
        try {
            text = BoundedFiles.readString(file, BoundedFiles.SSH_CONFIG, "an ssh.config");
        } catch (NoSuchFileException e) {
            throw config(file + ": no ssh.config; is the VM running? try: " + VmHints.start(targetName));
        } catch (BoundedFiles.RefusedFileException e) {
            throw config(e.getMessage());
        } catch (IOException e) {
            throw config(file + ": cannot read it (" + e.getMessage() + "); check its owner and permissions");
        }
        SshEndpoint ep = parse(text, file, targetName, env);
        Path key = ep.identityFile();
        if (!Files.exists(key)) {
            throw config(file + ": IdentityFile " + key + " does not exist; try: " + VmHints.restart(targetName));
        }
        if (!Files.isRegularFile(key) || !Files.isReadable(key)) {
            throw config(file + ": IdentityFile " + key
                    + " is not a readable file for this user; check its owner and permissions");
        }
        try { // type and size only, from the attributes: the key's content is JSch's alone
            BoundedFiles.check(key, BoundedFiles.IDENTITY, "an SSH private key");
        } catch (IOException e) {
            throw config(file + ": IdentityFile " + e.getMessage() + "; try: " + VmHints.restart(targetName));
        }
        return ep;
    }

    /** Parses the text of {@code file} (used in messages); does not look at the key file. */
    public static SshEndpoint parse(String text, Path file, String targetName, Environment env) throws SshException {
        Map<String, String> values = new HashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int end = 0;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != '=') end++;
            String key = line.substring(0, end).toLowerCase(Locale.ROOT);
            String rest = line.substring(end).strip();
            if (rest.startsWith("=")) rest = rest.substring(1).strip();
            values.putIfAbsent(key, value(rest));
        }
        String fix = "; Lima rewrites this file on every start; try: " + VmHints.restart(targetName);
        String host = values.get("hostname");
        if (host == null || host.isEmpty()) throw config(file + ": no Hostname" + fix);
        String portText = values.get("port");
        if (portText == null || portText.isEmpty()) throw config(file + ": no Port" + fix);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw config(file + ": Port \"" + portText + "\" is not a port number (1-65535)" + fix);
        }
        String user = values.get("user");
        if (user == null || user.isEmpty()) throw config(file + ": no User" + fix);
        String identity = values.get("identityfile");
        if (identity == null || identity.isEmpty()) throw config(file + ": no IdentityFile" + fix);
        Path key = env.expand(identity);
        if (!key.isAbsolute()) key = env.home().resolve(key);
        return new SshEndpoint(host, port, user, key.normalize());
    }

    /** A double-quoted string without its quotes, else the first word. */
    private static String value(String rest) {
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            return close < 0 ? rest.substring(1) : rest.substring(1, close);
        }
        int space = 0;
        while (space < rest.length() && !Character.isWhitespace(rest.charAt(space))) space++;
        return rest.substring(0, space);
    }

    private static SshException config(String message) {
        return new SshException(SshException.Kind.CONFIG, message);
    }
}
