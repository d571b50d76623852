package dev.vmtrust.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Test launchers: executable files that stand in for scripts/vmtrust. */
final class Launchers {
    private Launchers() {}

    static Path create(Path path) throws IOException {
        return create(path, "#!/bin/sh\nexit 0\n");
    }

    static Path create(Path path, String script) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, script);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
