#!/usr/bin/env bash
# vmtrust, seen working without a Mac (about 30 s). As root on Linux, with the packages .ci/run installs:
#   scripts/demo.sh
# 1. starts two sandbox "Colima VMs" (real sshd + dockerd in Linux namespaces, scripts/sandbox-vm.sh), each
#    behind a TLS-intercepting "proxy": a Docker registry at registry.test:5000 whose certificate is signed by
#    the corporate CA "Corp Root 2024";
# 2. shows `docker pull` failing with x509 in both VMs;
# 3. starts the vmtrust agent (`vmtrust run`) with that CA as its source: both VMs pull;
# 4. rotates the corporate CA to "Corp Root 2025" (the proxy switches, then IT replaces the CA file) and shows
#    the agent following on its own: pulls work, the 2024 CA is gone from the VMs, `vmtrust status`, and the
#    notification event.
# Everything lives in one temporary folder (its own HOME, XDG folders, COLIMA_HOME); it is removed at the end,
# also on Ctrl-C (DEMO_KEEP=1 keeps it). Only processes this script started are stopped, by PID. The host's
# trust store is never touched (checked at the end). Exit 0 only when everything shown worked as described.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
sandbox="$root/scripts/sandbox-vm.sh"
vmtrust="$root/scripts/vmtrust"

[ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] || { echo "demo: needs root on Linux (the VMs use namespaces)" >&2; exit 2; }
for tool in java dockerd docker docker-registry /usr/sbin/sshd socat unshare nsenter ssh-keygen openssl ss; do
  command -v "$tool" >/dev/null 2>&1 || { echo "demo: missing $tool; install the packages listed in .ci/run" >&2; exit 2; }
done
# build the jar now, with the real HOME (Maven's repository); the demo's own HOME comes next
[ -f "$root/target/vmtrust.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)

# ---------------------------------------------------------------------------------------------- helpers
if [ -t 1 ]; then B=$'\e[1m'; D=$'\e[2m'; R=$'\e[0m'; else B=; D=; R=; fi
step() { printf '\n%s== %s%s\n' "$B" "$*" "$R"; }
note() { printf '%s   %s%s\n' "$D" "$*" "$R"; }
fail() { printf '\ndemo: FAILED: %s\n' "$*" >&2; exit 1; }
# in_vm VM CMD...: run CMD as root inside the VM, showing it as a prompt line
in_vm() { local vm=$1; shift; printf '[colima %s] $ %s\n' "$vm" "$*"; "$sandbox" exec "$demo/vms/$vm" "$@" 2>&1 | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
# host CMD...: run a host command, showing it
# vm_sh VM SCRIPT: run a shell snippet as root inside the VM, showing the snippet
vm_sh() { printf '[colima %s] $ %s\n' "$1" "$2"; "$sandbox" exec "$demo/vms/$1" sh -c "$2" 2>&1 | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
host() { printf '$ %s\n' "$*"; "$@" 2>&1 | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
free_port() { local p; while :; do p=$((20000 + RANDOM % 30000)); ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }; done; }
wait_for() {  # wait_for SECONDS WHAT CMD...: poll CMD until it succeeds
  local end=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $end ] || fail "$what (waited)"; sleep 0.1; done
}
trust_fingerprint() {  # the host's trust store (same check as .ci/run)
  find /etc/ssl/certs /usr/local/share/ca-certificates /etc/ca-certificates.conf /etc/ssl/certs/java/cacerts -xdev \
       \( -type f -o -type l \) -print0 2>/dev/null | sort -z |
    xargs -0 -r sh -c 'for f; do printf "%s " "$f"; if [ -L "$f" ]; then readlink "$f"; else sha256sum < "$f"; fi; done' sh |
    sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------------------------------------- clean-up
demo=$(mktemp -d /tmp/vmtrust-demo.XXXXXX)
agent_pid=
declare -A registries=()   # name -> PID of the nsenter process whose child is the registry
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$agent_pid" ] && kill -0 "$agent_pid" 2>/dev/null; then
    kill -TERM "$agent_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$agent_pid" 2>/dev/null || true
  fi
  for name in "${!registries[@]}"; do stop_registry "$name"; done
  for vm in "$demo"/vms/*/; do [ -f "$vm/unshare.pid" ] && "$sandbox" stop "$vm" || true; done
  if [ "${DEMO_KEEP:-}" = 1 ]; then echo "demo: kept $demo"; else rm -rf "$demo"; fi
  exit "$rc"
}
stop_registry() {  # stop_registry NAME: the nsenter process and its child (the registry), by PID
  local p=${registries[$1]} c
  c=$(cat "/proc/$p/task/$p/children" 2>/dev/null || true)
  kill -KILL $c "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  unset "registries[$1]"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trust_before=$(trust_fingerprint)

# private HOME, XDG folders and Colima home: nothing of the real user's is read or written
export HOME="$demo/home" XDG_CONFIG_HOME="$demo/config" XDG_STATE_HOME="$demo/state" XDG_CACHE_HOME="$demo/cache" \
       XDG_DATA_HOME="$demo/data" COLIMA_HOME="$demo/colima"
unset LIMA_HOME VMTRUST_CONFIG SSH_AUTH_SOCK   # LIMA_HOME would also move Colima's instances (as in Colima)
mkdir -p "$HOME" "$XDG_CONFIG_HOME/vmtrust" "$COLIMA_HOME/_lima/_config" "$demo/vms" "$demo/pki" "$demo/certs"

# ---------------------------------------------------------------------------------------------- 1. setup
step "1. Two Colima VMs (sshd + dockerd) behind a TLS-intercepting proxy signed by \"Corp Root 2024\""
make_ca() {  # make_ca NAME "CN": a CA and a registry.test certificate it signed
  local d="$demo/pki/$1"; mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -keyout "$d/ca.key" -out "$d/ca.pem" \
    -subj "/O=Example Corp/CN=$2" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/server.key" -out "$d/server.csr" \
    -subj /CN=registry.test 2>/dev/null
  printf 'subjectAltName=DNS:registry.test\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$d/ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 365 \
    -extfile "$d/ext" -out "$d/server.pem" 2>/dev/null
}
make_ca 2024 "Corp Root 2024"
make_ca 2025 "Corp Root 2025"
ssh-keygen -q -t ed25519 -N '' -C vmtrust-demo -f "$COLIMA_HOME/_lima/_config/user"

registry_conf() {  # registry_conf NAME ADDR [CA]: a docker-registry config over the shared storage (TLS when CA given)
  { printf 'version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\n'
    printf 'storage: {filesystem: {rootdirectory: %s}}\nhttp:\n  secret: demo\n  addr: "%s"\n' "$demo/registry" "$2"
    [ -z "${3:-}" ] || printf '  tls: {certificate: %s, key: %s}\n' "$demo/pki/$3/server.pem" "$demo/pki/$3/server.key"
  } > "$demo/$1.yml"
}
start_registry() {  # start_registry VM CONF ADDR PORT: docker-registry in the VM's network namespace
  "$sandbox" nsexec "$demo/vms/$1" docker-registry serve "$demo/$2.yml" >>"$demo/$2.log" 2>&1 &
  registries[$2]=$!
  wait_for 20 "registry $2 listening" "$sandbox" nsexec "$demo/vms/$1" bash -c "exec 3<>/dev/tcp/$3/$4"
}
boot_vm() {  # boot_vm PROFILE: a VM, laid out in COLIMA_HOME exactly as Colima and Lima do
  local profile=$1 id port dir
  id=$([ "$profile" = default ] && echo colima || echo "colima-$profile")
  port=$(free_port); dir="$COLIMA_HOME/_lima/$id"
  FAKEVM_DOCKER=1 FAKEVM_HOSTS="::1 registry.test" "$sandbox" start "$demo/vms/$profile" "$port" \
    "$COLIMA_HOME/_lima/_config/user.pub" net
  mkdir -p "$dir" "$COLIMA_HOME/$profile"
  printf 'cpu: 2\nruntime: docker\nprovision: []\n' > "$COLIMA_HOME/$profile/colima.yaml"
  printf 'Host lima-%s\n  IdentityFile "%s"\n  User limauser\n  Hostname 127.0.0.1\n  Port %s\n' \
    "$id" "$COLIMA_HOME/_lima/_config/user" "$port" > "$dir/ssh.config"
  local u; u=$(cat "$demo/vms/$profile/unshare.pid")
  cut -d' ' -f1 "/proc/$u/task/$u/children" > "$dir/ha.pid"   # the VM's PID 1, as Lima's hostagent pid
  registry_conf "proxy-$profile" "[::1]:5000" 2024
  start_registry "$profile" "proxy-$profile" ::1 5000
  note "colima profile \"$profile\": ssh on 127.0.0.1:$port, dockerd running, registry.test:5000 signed by Corp Root 2024"
}
boot_vm default
boot_vm work
# one tiny image in the registries' shared storage, pushed over plain HTTP inside the first VM
registry_conf seed "127.0.0.1:5001"
start_registry default seed 127.0.0.1 5001
mkdir -p "$demo/rootfs/bin" && cp /bin/busybox "$demo/rootfs/bin/busybox" && ln -s busybox "$demo/rootfs/bin/sh"
tar -C "$demo/rootfs" -cf "$demo/hello.tar" .
"$sandbox" exec "$demo/vms/default" docker import - 127.0.0.1:5001/hello:latest < "$demo/hello.tar" >/dev/null
"$sandbox" exec "$demo/vms/default" docker push -q 127.0.0.1:5001/hello:latest >/dev/null
"$sandbox" exec "$demo/vms/default" docker rmi 127.0.0.1:5001/hello:latest >/dev/null
stop_registry seed
image=registry.test:5000/hello:latest

pull_fails_x509() {  # pull_fails_x509 VM: the pull must fail with a certificate error
  local out
  printf '[colima %s] $ docker pull -q %s\n' "$1" "$image"
  if out=$("$sandbox" exec "$demo/vms/$1" docker pull -q "$image" 2>&1); then fail "the pull in $1 should have failed"; fi
  grep -o 'x509: .*' <<<"$out" | head -1 | sed 's/^/    ... /' | grep . || { echo "$out"; fail "the pull in $1 failed, but not with x509"; }
}
pull_works() {  # pull_works VM: pull, then remove the image again so the next pull really fetches
  in_vm "$1" docker pull -q "$image" || fail "the pull in $1 failed"
  "$sandbox" exec "$demo/vms/$1" docker rmi -f "$image" >/dev/null
}

# ---------------------------------------------------------------------------------------------- 2. x509
step "2. The VMs do not trust the corporate CA: docker pull fails"
pull_fails_x509 default
pull_fails_x509 work

# ---------------------------------------------------------------------------------------------- 3. agent
step "3. The host trusts Corp Root 2024 (a PEM file here; the Keychain on a Mac). Start the agent"
cp "$demo/pki/2024/ca.pem" "$demo/certs/corp-root.pem"
printf '#!/bin/sh\n# notification hook: vmtrust writes one JSON event on stdin\ncat >> "%s"; echo >> "%s"\n' \
  "$demo/events.jsonl" "$demo/events.jsonl" > "$demo/hook.sh"; chmod +x "$demo/hook.sh"
cat > "$XDG_CONFIG_HOME/vmtrust/config.yaml" <<EOF
sources: {files: [$demo/certs/corp-root.pem], vendorFiles: false}
notify: {desktop: false, command: [$demo/hook.sh]}
EOF
host cat "$XDG_CONFIG_HOME/vmtrust/config.yaml"
echo "\$ vmtrust run &"
"$vmtrust" run > "$demo/agent.log" 2>&1 &
agent_pid=$!
wait_for 60 "the agent's first reconcile" grep -q 'reconcile done' "$demo/agent.log"
grep 'reconcile\|change detected' "$demo/agent.log" | sed 's/^/    /'
pull_works default
pull_works work

# ---------------------------------------------------------------------------------------------- 4. rotate
step "4. IT rotates the corporate CA: the proxy now signs with Corp Root 2025"
# the proxy switches: stop each VM's 2024 registry, start one with a 2025 certificate on the same address
for vm in default work; do
  stop_registry "proxy-$vm"
  registry_conf "proxy2-$vm" "[::1]:5000" 2025
  start_registry "$vm" "proxy2-$vm" ::1 5000
done
pull_fails_x509 default
step "   ...and replaces the CA file on the host. Nobody runs anything in the VMs"
lines=$(wc -l < "$demo/agent.log")
cp "$demo/pki/2025/ca.pem" "$demo/certs/.corp-root.pem.new"
t0=$(date +%s%N)
host mv "$demo/certs/.corp-root.pem.new" "$demo/certs/corp-root.pem"
# the agent announces a rotation once every VM has the new set
wait_for 60 "the agent's rotated event" grep -q '"event":"rotated"' "$demo/events.jsonl"
note "the agent was done $(( ($(date +%s%N) - t0) / 1000000 )) ms after the file was replaced; its log:"
tail -n +$((lines + 1)) "$demo/agent.log" | grep 'reconcile\|change detected' | sed 's/^/    /'
pull_works default
pull_works work

step "   The 2024 CA is gone from the VMs; only vmtrust's own file for the 2025 CA is there"
for vm in default work; do
  vm_sh "$vm" 'for f in /usr/local/share/ca-certificates/vmtrust-*; do echo "$f: $(openssl x509 -noout -subject -in "$f")"; done'
  old=$(sed -n 2p "$demo/pki/2024/ca.pem")   # a line of the 2024 CA's base64
  if "$sandbox" exec "$demo/vms/$vm" grep -qF "$old" /etc/ssl/certs/ca-certificates.crt; then fail "$vm still trusts Corp Root 2024"; fi
  note "Corp Root 2024 in $vm's /etc/ssl/certs/ca-certificates.crt: no"
done

step "5. vmtrust status"
wait_for 30 "the agent to settle" sh -c "grep ' reconcile ' '$demo/agent.log' | tail -1 | grep -q 'reconcile done'"
note "(the agent's latest round: the one after its own colima.yaml edits, with nothing left to do)"
host "$vmtrust" status

step "6. The notification (the hook's stdin; on a desktop also a notify-send / macOS notification)"
grep '"event":"rotated"' "$demo/events.jsonl" | tail -1 | sed 's/,"/,\n"/g' | sed 's/^/    /'
echo
grep -q 'Corp Root 2025' "$demo/events.jsonl" || fail "the event does not name the new CA"

[ "$(trust_fingerprint)" = "$trust_before" ] || fail "the host's trust store changed"
step "Done: host trust store unchanged; cleaning up (agent, registries, VMs, $demo)"
