package dev.vmtrust.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the numbers were measured on: CPU, cores, memory, kernel, JDK, dockerd, OpenSSH, date. */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe() {
        return dev.vmtrust.json.Json.obj(
                "date", java.time.OffsetDateTime.now().withNano(0).toString(),
                "cpu", cpu(),
                "cores", Runtime.getRuntime().availableProcessors(),
                "memoryGb", memGb(),
                "kernel", first(List.of("uname", "-sr")),
                "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "dockerd", first(List.of("dockerd", "--version")),
                "openssh", first(List.of("ssh", "-V")),
                "loadAverage", first(List.of("cat", "/proc/loadavg")));
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long memGb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                            .filter(l -> l.startsWith("MemTotal:"))
                            .map(l -> l.replaceAll("\\D", ""))
                            .mapToLong(Long::parseLong)
                            .findFirst()
                            .orElse(0)
                    / 1024
                    / 1024;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String first(List<String> cmd) {
        Sh.Result r = Sh.run(cmd);
        return r.all().lines().findFirst().orElse("?").strip();
    }
}
