package dev.vmtrust.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds COLIMA_HOME / LIMA_HOME trees in a temp dir, laid out as Colima and Lima do. */
public final class TargetTrees {
    private TargetTrees() {}

    /** {@code COLIMA_HOME/<dir>/colima.yaml}. */
    public static Path colimaProfile(Path colimaHome, String dir) {
        return file(colimaHome.resolve(dir).resolve("colima.yaml"), "runtime: docker\n");
    }

    /** A Lima instance dir with lima.yaml, and ssh.config + ha.pid when {@code pid} is not null. */
    public static Path limaInstance(Path limaHome, String name, Long pid) {
        Path dir = limaHome.resolve(name);
        file(dir.resolve("lima.yaml"), "images: []\n");
        if (pid != null) {
            file(dir.resolve("ha.pid"), pid + "\n");
            file(dir.resolve("ssh.config"), "Host lima-" + name + "\n  Hostname 127.0.0.1\n  Port 2222\n");
        }
        return dir;
    }

    public static Path file(Path path, String text) {
        try {
            Files.createDirectories(path.getParent());
            return Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
