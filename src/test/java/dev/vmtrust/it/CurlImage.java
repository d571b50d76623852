package dev.vmtrust.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A docker image made offline from host files: the host's curl and every library {@code ldd} names, a static
 * busybox for the shell tools, and a Mozilla-only bundle at /etc/ssl/certs/ca-certificates.crt (so it lacks any
 * test CA, like an image from a public registry). The mount points runc and BuildKit need (dev, proc, sys,
 * /etc/hosts, ...) are in the base layer, so a RUN step's layer shows only what the step itself wrote.
 */
public final class CurlImage {
    static final List<String> APPLETS = List.of(
            "sh", "cat", "cp", "mv", "rm", "grep", "env", "ls", "mkdir", "sleep", "test", "echo", "id", "wc", "true");
    private static final Pattern LIB = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

    private CurlImage() {}

    /** Builds the rootfs under {@code work} and imports it into the VM's dockerd as {@code name}. */
    public static void importInto(SandboxVm vm, Path work, String name) {
        try {
            Path rootfs = Files.createDirectories(work.resolve("rootfs-" + name));
            for (String d : List.of("bin", "dev", "proc", "sys", "tmp", "etc/ssl/certs", "root")) {
                Files.createDirectories(rootfs.resolve(d));
            }
            for (String f : List.of("etc/hosts", "etc/resolv.conf", "etc/hostname"))
                Files.writeString(rootfs.resolve(f), "");
            Files.copy(Path.of("/usr/bin/curl"), rootfs.resolve("bin/curl"));
            Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
            for (String a : APPLETS) Files.createSymbolicLink(rootfs.resolve("bin/" + a), Path.of("busybox"));
            for (String lib : libraries(Path.of("/usr/bin/curl"))) {
                Path target = rootfs.resolve(lib.substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING);
            }
            StringBuilder mozilla = new StringBuilder();
            try (Stream<Path> s = Files.list(Path.of("/usr/share/ca-certificates/mozilla"))) {
                for (Path p : s.sorted().toList()) mozilla.append(Files.readString(p));
            }
            Files.writeString(rootfs.resolve("etc/ssl/certs/ca-certificates.crt"), mozilla);
            Path tar = work.resolve("rootfs-" + name + ".tar");
            Cmd.check("tar", "--owner=0", "--group=0", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
            ExecResult r = vm.execWithInput(tar, "docker", "import", "--change", "ENV PATH=/bin", "-", name);
            if (!r.ok()) throw new IllegalStateException("docker import failed: " + r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Certificates in the image's own bundle (the Mozilla set of this host). */
    static int mozillaCount() {
        try (Stream<Path> s = Files.list(Path.of("/usr/share/ca-certificates/mozilla"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The absolute library paths ldd prints for a binary (including the loader). */
    static List<String> libraries(Path binary) {
        List<String> out = new ArrayList<>();
        Matcher m = LIB.matcher(Cmd.check("ldd", binary.toString()));
        while (m.find()) out.add(m.group(1));
        if (out.isEmpty()) throw new IllegalStateException("ldd named no library for " + binary);
        return out;
    }
}
