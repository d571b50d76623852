#!/usr/bin/env bash
# Benchmarks vmtrust against the blog-post recipe on this machine, side by side in one run, with sandbox VMs
# that run real sshd and dockerd (scripts/sandbox-vm.sh): the running agent against the recipe fired at all N
# VMs at once (the floor), `vmtrust sync` against the recipe VM by VM, the agent's no-change rounds and idle
# cost, start-up. Prints every figure with its goal (issue 16) and whether it is met. Writes
# target/bench/results.md (the README table) and target/bench/results.json. Needs root on Linux and the
# packages .ci/run installs. ~20 min by default.
#   BENCH_RUNS=5            runs per figure (median, min, max)
#   BENCH_IDLE_SECONDS=300  idle window of the agent; e.g. 60 for a quicker run
#   BENCH_STARTUP_RUNS=20   runs per start-up variant
#   BENCH_SIZES=1,4,8       VM counts; the largest is used for the no-change and idle figures
#   BENCH_QUICK=1           defaults 1 run, 20 s idle, 3 start-up runs, sizes 1,4: a few minutes, for development
#   BENCH_BASELINE_JAR=JAR  A/B: also another build's agent (e.g. main's target/vmtrust.jar) on a third group of
#                           VMs, its rotations interleaved with this build's (on a shared machine, only interleaved
#                           runs compare two builds fairly)
# The driver is dev.vmtrust.bench.Bench (src/test/java), which reuses the integration-test harness.
# `scripts/bench.sh profile` runs dev.vmtrust.bench.Profile instead: where one VM's round goes (exec by exec, and
# a traced in-VM apply summed per command), to choose the next levers (PROFILE_RUNS=5).
# Never touches this machine's trust store (checked before and after) or the real user's files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$root"
[ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] || { echo "bench: needs root on Linux (sandbox VMs use namespaces)" >&2; exit 2; }
for tool in java mvn dockerd docker-registry /usr/sbin/sshd socat unshare nsenter ssh openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: missing $tool; run .ci/run's installs first" >&2; exit 2; }
done

trust_fingerprint() {  # the same check as .ci/run: names and content of the host's trust store
  find /etc/ssl/certs /usr/local/share/ca-certificates /etc/ca-certificates.conf \
       /etc/ssl/certs/java/cacerts -xdev \( -type f -o -type l \) -print0 2>/dev/null | sort -z |
    xargs -0 -r sh -c 'for f; do printf "%s " "$f"; if [ -L "$f" ]; then readlink "$f"; else sha256sum < "$f"; fi; done' sh |
    sha256sum | cut -d' ' -f1
}
before=$(trust_fingerprint)

echo "bench: building (mvn -B -q -DskipTests package)" >&2
mvn -B -q -DskipTests package
mkdir -p target/bench
mvn -B -q dependency:build-classpath \
    -Dmdep.outputFile=target/bench/classpath -Dmdep.includeScope=test

# the driver runs as a plain JVM (not under Surefire); basedir tells the harness where scripts/ is
main=dev.vmtrust.bench.Bench
[ "${1:-}" != profile ] || main=dev.vmtrust.bench.Profile
java -Xmx512m -Dbasedir="$root" -cp "target/test-classes:target/classes:$(cat target/bench/classpath)" "$main"

after=$(trust_fingerprint)
if [ "$before" != "$after" ]; then
  echo "bench: FAIL: the host's trust store changed during the run ($before -> $after)" >&2
  exit 1
fi
echo "bench: host trust store unchanged; results in target/bench/results.md and target/bench/results.json" >&2
