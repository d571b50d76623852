package dev.vmtrust.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gates sandbox-VM tests. When a prerequisite is missing the test is skipped (JUnit assumption), unless
 * env VMTRUST_IT_REQUIRED=1 (CI), where it fails with the same reason so a broken CI cannot go green.
 */
public final class SandboxSupport {
    private static final List<String> BASE_TOOLS = List.of(
            "/usr/sbin/sshd",
            "unshare",
            "nsenter",
            "setpriv",
            "socat",
            "sudo",
            "ip",
            "ssh",
            "ssh-keygen",
            "openssl",
            "curl",
            "update-ca-certificates");
    private static final List<String> DOCKER_TOOLS = List.of("dockerd", "docker", "docker-registry", "tar");

    private SandboxSupport() {}

    /** Root, Linux, overlayfs and the sshd/namespace tools; also finds scripts/sandbox-vm.sh. */
    public static void assumeSandbox() {
        require(baseProblems());
    }

    /** Everything for {@link #assumeSandbox()} plus dockerd, docker-registry and a static busybox. */
    public static void assumeDocker() {
        List<String> problems = baseProblems();
        DOCKER_TOOLS.stream().filter(t -> which(t) == null).forEach(t -> problems.add("missing " + t));
        if (!isStaticElf(Path.of("/bin/busybox"))) {
            problems.add("missing static /bin/busybox (apt package busybox-static)");
        }
        require(problems);
    }

    /** The project's base dir: Surefire/Failsafe set "basedir"; otherwise the working directory. */
    public static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
    }

    /** The project's own copy of the VM script (never an outside one). */
    public static Path script() {
        return projectDir().resolve("scripts/sandbox-vm.sh");
    }

    /** Absolute path of an executable on PATH (or an absolute path that exists), else null. */
    static Path which(String tool) {
        if (tool.startsWith("/")) {
            return Files.isExecutable(Path.of(tool)) ? Path.of(tool) : null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> baseProblems() {
        List<String> problems = new ArrayList<>();
        if (!System.getProperty("os.name", "").equals("Linux")) {
            problems.add("not Linux");
            return problems;
        }
        if (!isRoot()) {
            problems.add("not running as root");
        }
        if (!readOrEmpty(Path.of("/proc/filesystems")).contains("overlay")) {
            problems.add("no overlay filesystem (modprobe overlay)");
        }
        BASE_TOOLS.stream().filter(t -> which(t) == null).forEach(t -> problems.add("missing " + t));
        if (!Files.isRegularFile(script())) {
            problems.add("no " + script() + " (run from the project dir)");
        }
        return problems;
    }

    private static void require(List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        String reason = "sandbox VM tests need: " + String.join(", ", problems);
        if ("1".equals(System.getenv("VMTRUST_IT_REQUIRED"))) {
            Assertions.fail(reason + " (VMTRUST_IT_REQUIRED=1)");
        }
        Assumptions.assumeTrue(false, reason);
    }

    private static boolean isRoot() {
        return readOrEmpty(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    /** True for a 64-bit little-endian ELF without a PT_INTERP program header (no dynamic loader). */
    static boolean isStaticElf(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
                return false;
            }
            long phoff = b.getLong(0x20);
            int phentsize = b.getShort(0x36) & 0xffff;
            int phnum = b.getShort(0x38) & 0xffff;
            for (int i = 0; i < phnum; i++) {
                if (b.getInt((int) phoff + i * phentsize) == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
