package dev.vmtrust.bench;

import dev.vmtrust.it.ColimaHome;
import dev.vmtrust.it.CurlImage;
import dev.vmtrust.it.ExecResult;
import dev.vmtrust.it.FreePort;
import dev.vmtrust.it.SandboxVm;
import dev.vmtrust.it.TestCa;
import dev.vmtrust.it.TestKeys;
import dev.vmtrust.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Figure 7, containers.inject: what vmtrust's OCI runtime wrapper adds to a container start (goal: at most 30 ms),
 * in a sandbox VM of its own with dockerd, after a {@code vmtrust sync} with inject on. Measured inside the VM with
 * bash's $EPOCHREALTIME (no process per timestamp), the variants interleaved and their order alternated:
 * <ul>
 * <li>the wrapper alone: {@code runc create} as containerd's shim calls it, on a copy of a real config.json that
 *     dockerd wrote, with a stub runc that exits at once, against that stub called directly; the difference is
 *     exactly what a container start waits for (sh, python3, the spec edit);</li>
 * <li>{@code docker run --rm} end to end, {@code --runtime=runc} against the default (vmtrust), for scale;</li>
 * <li>{@code python3 -I -S -c pass}, the interpreter's own start, for reference.</li>
 * </ul>
 * Appends a section to results.md and writes container-start.json. Runs inside {@link Bench} (after the other
 * figures, its VMs stopped) or alone: the same java command line as scripts/bench.sh, class
 * {@code dev.vmtrust.bench.ContainerStart} (env BENCH_CONTAINER_RUNS, default 21).
 */
final class ContainerStart {
    static final double GOAL_MS = 30;

    private ContainerStart() {}

    public static void main(String[] args) throws Exception {
        Path project = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
        Path out = Files.createDirectories(project.resolve("target/bench"));
        Path work = Files.createTempDirectory(Path.of("/tmp"), "vmtb-ct-");
        String runs = System.getenv().getOrDefault("BENCH_CONTAINER_RUNS", "21");
        Vmtrust vmtrust = Vmtrust.ofProject(project, work.resolve("vmtrust"));
        String md = measure(
                out,
                work,
                vmtrust,
                TestKeys.generate(work.resolve("keys")),
                TestCa.create(work.resolve("ca")),
                Integer.parseInt(runs.strip()));
        System.out.println(md);
        Sh.run(List.of("rm", "-rf", work.toString()));
        System.exit(0);
    }

    /** Measures, appends the Markdown section to OUT/results.md (if it exists), writes OUT/container-start.json. */
    static String appendTo(Path out, Path work, Vmtrust vmtrust, TestKeys keys, TestCa ca, int runs) {
        try {
            String md = measure(out, work, vmtrust, keys, ca, runs);
            Path results = out.resolve("results.md");
            if (Files.exists(results)) Files.writeString(results, "\n" + md, StandardOpenOption.APPEND);
            return md;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String measure(Path out, Path work, Vmtrust vmtrust, TestKeys keys, TestCa ca, int runs)
            throws IOException {
        Bench.log("7. container start with containers.inject (" + runs + " runs per variant)");
        Path vmDir = work.resolve("ct-vm");
        Stats plain = new Stats(),
                wrapper = new Stats(),
                runc = new Stats(),
                injected = new Stats(),
                python = new Stats();
        try (SandboxVm vm = SandboxVm.options(vmDir, FreePort.pick(), keys.publicKey())
                .docker(true)
                .start()) {
            CurlImage.importInto(vm, work, "curlimg");
            ColimaHome colima =
                    ColimaHome.create(work.resolve("colima-ct"), keys).running("default", vm);
            Path config = Files.createDirectories(work.resolve("ct-config")).resolve("config.yaml");
            Files.writeString(config, """
                    sources: {keychain: {enabled: false}, vendorFiles: false, host: false, files: [%s]}
                    targets: {colima: {home: %s}, lima: {home: %s}}
                    notify: {desktop: false}
                    containers: {inject: true}
                    """.formatted(ca.caPem(), colima.home(), work.resolve("no-lima")));
            vmtrust.sync(config);
            check(
                    vm.exec("sh", "-c", "[ \"$(docker info --format '{{.DefaultRuntime}}')\" = vmtrust ]"),
                    "default runtime vmtrust");
            check(
                    vm.execWithInput(
                            Files.writeString(work.resolve("ct-bench.sh"), SCRIPT),
                            "sh",
                            "-c",
                            "cat > /root/ct-bench.sh"),
                    "copy the timing script");
            ExecResult r = vm.exec("bash", "/root/ct-bench.sh", Integer.toString(runs));
            check(r, "timing script");
            for (String line : r.stdout().lines().toList()) {
                String[] f = line.split(" ");
                if (f.length != 2) continue;
                double ms = Double.parseDouble(f[1]) / 1000;
                switch (f[0]) {
                    case "plain" -> plain.add(ms);
                    case "wrapper" -> wrapper.add(ms);
                    case "run-runc" -> runc.add(ms);
                    case "run-vmtrust" -> injected.add(ms);
                    case "python" -> python.add(ms);
                    default -> {}
                }
            }
        }
        if (wrapper.n() != runs || injected.n() != runs)
            throw new IllegalStateException("missing samples: " + wrapper.n());
        double added = wrapper.median() - plain.median();
        double addedRun = injected.median() - runc.median();
        String md = "**Container start with `containers.inject`** (median (min–max) of " + runs
                + " runs each, interleaved)\n\n"
                + "| What | runc | vmtrust's wrapper | Added |\n|---|---:|---:|---:|\n"
                + "| the runtime call alone (`runc create` on a real config.json, stub runc) | " + plain.millis()
                + " | "
                + wrapper.millis() + " | " + f1(added) + " ms |\n"
                + "| `docker run --rm` end to end (`--runtime=runc` vs the default) | " + runc.millis() + " | "
                + injected.millis() + " | " + f1(addedRun) + " ms |\n\n"
                + "Goal: the wrapper adds ≤ " + (int) GOAL_MS + " ms to a container start: " + f1(added) + " ms, "
                + (added <= GOAL_MS ? "met" : "**not met**") + ". For reference, `python3 -I -S -c pass` alone took "
                + python.millis() + " on this machine.\n";
        Files.writeString(
                out.resolve("container-start.json"),
                Json.write(Json.obj(
                                "runs",
                                runs,
                                "runtimeCallMs",
                                Json.obj("runc", plain.json(), "wrapper", wrapper.json()),
                                "dockerRunMs",
                                Json.obj("runc", runc.json(), "vmtrust", injected.json()),
                                "python3StartMs",
                                python.json(),
                                "addedMs",
                                Stats.round(added),
                                "addedDockerRunMs",
                                Stats.round(addedRun),
                                "goalMs",
                                GOAL_MS,
                                "met",
                                added <= GOAL_MS,
                                "machine",
                                Machine.describe()))
                        + "\n");
        return md;
    }

    private static void check(ExecResult r, String what) {
        if (!r.ok()) throw new IllegalStateException(what + " failed: " + r);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * In the VM, as root: a config.json exactly as dockerd writes it (of a container created with --runtime=runc,
     * so without injection), then N rounds of each variant; prints "NAME MICROSECONDS" lines.
     */
    static final String SCRIPT = """
            set -eu
            n=$1 d=/root/ct-bench
            rm -rf "$d" && mkdir -p "$d/stub" "$d/b"
            printf '#!/bin/sh\\nexit 0\\n' >"$d/stub/runc" && chmod 755 "$d/stub/runc"
            id=$(docker create --runtime=runc --pull never --network none curlimg /bin/true)
            docker start "$id" >/dev/null
            f=$(find /run -path "*/moby/$id/config.json" 2>/dev/null | head -n 1)
            [ -n "$f" ] || { echo "no config.json of $id under /run" >&2; exit 1; }
            cp "$f" "$d/clean.json"
            docker rm -f "$id" >/dev/null
            grep -q /dev/vmtrust "$d/clean.json" && { echo "the template spec is already injected" >&2; exit 1; }
            us() { local a=${1/./} b=${2/./}; echo $(( 10#$b - 10#$a )); }
            wrapper() {
              cp "$d/clean.json" "$d/b/config.json"
              local t0=$EPOCHREALTIME
              PATH=$d/stub:$PATH /etc/vmtrust/runtime/runc --root /run/ct-bench --log "$d/log" --log-format json create \\
                --bundle "$d/b" --pid-file "$d/b/init.pid" ctbench
              echo "wrapper $(us "$t0" "$EPOCHREALTIME")"
              grep -q /dev/vmtrust/ca-bundle.pem "$d/b/config.json" || { echo "the wrapper did not inject" >&2; exit 1; }
            }
            plain() {
              cp "$d/clean.json" "$d/b/config.json"
              local t0=$EPOCHREALTIME
              PATH=$d/stub:$PATH "$d/stub/runc" --root /run/ct-bench --log "$d/log" --log-format json create \\
                --bundle "$d/b" --pid-file "$d/b/init.pid" ctbench
              echo "plain $(us "$t0" "$EPOCHREALTIME")"
            }
            run() {
              local t0=$EPOCHREALTIME
              docker run --rm --pull never --network none $2 curlimg /bin/true
              echo "run-$1 $(us "$t0" "$EPOCHREALTIME")"
            }
            py() { local t0=$EPOCHREALTIME; python3 -I -S -c pass; echo "python $(us "$t0" "$EPOCHREALTIME")"; }
            wrapper >/dev/null; plain >/dev/null; run runc --runtime=runc >/dev/null; run vmtrust '' >/dev/null
            i=0
            while [ $i -lt "$n" ]; do
              if [ $((i % 2)) -eq 0 ]; then wrapper; plain; run vmtrust ''; run runc --runtime=runc
              else plain; wrapper; run runc --runtime=runc; run vmtrust ''; fi
              py
              i=$((i + 1))
            done
            """;
}
