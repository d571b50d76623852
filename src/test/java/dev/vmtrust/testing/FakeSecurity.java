package dev.vmtrust.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Installs the stand-in {@code security} script (src/test/resources/fake-security/security) into a
 * temporary folder as an executable, and lays out keychains for it: {@code KEYCHAIN} (an empty file) and
 * {@code KEYCHAIN.d/NN.pem}, one certificate each. Copied because resource copying drops the exec bit.
 */
public final class FakeSecurity {
    private FakeSecurity() {}

    public static Path install(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("security");
        try (InputStream in = FakeSecurity.class.getResourceAsStream("/fake-security/security")) {
            Files.copy(in, script);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Creates {@code keychain} holding {@code certs} in this order. */
    public static Path keychain(Path keychain, TestCerts.Issued... certs) throws IOException {
        Files.createDirectories(keychain.getParent());
        if (!Files.exists(keychain)) Files.createFile(keychain);
        Path d = Files.createDirectories(keychain.resolveSibling(keychain.getFileName() + ".d"));
        int n = 0;
        for (TestCerts.Issued c : certs) Files.writeString(d.resolve(String.format("%02d.pem", n++)), c.pem());
        return keychain;
    }
}
