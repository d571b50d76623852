package dev.vmtrust.service;

import java.nio.file.Files;
import java.nio.file.Path;

/** The program the service runs ({@code <launcher> run}): must be an absolute path to an executable file. */
final class Launcher {
    private Launcher() {}

    static Path checked(Path launcher) throws ServiceException {
        Path p = launcher.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new ServiceException("the vmtrust launcher " + p + " is not an executable file, so the agent "
                    + "could not start; run `vmtrust install` through the installed launcher (scripts/vmtrust)");
        }
        return p;
    }
}
