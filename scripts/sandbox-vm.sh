#!/bin/bash
# Sandbox "Lima/Colima VM" for vmtrust integration tests: sshd + sudo + update-ca-certificates + dockerd in private namespaces.
#   sandbox-vm.sh run    VMDIR PORT PUBKEY [net]  foreground (for ProcessBuilder); dies with its parent thread (PDEATHSIG)
#   sandbox-vm.sh start  VMDIR PORT PUBKEY [net]  background; returns once sshd answers on 127.0.0.1:PORT
#   sandbox-vm.sh stop   VMDIR                    SIGKILL the VM's PID 1 (by PID): every process inside dies, mounts vanish
#   sandbox-vm.sh exec   VMDIR CMD...             run CMD as root inside all the VM's namespaces
#   sandbox-vm.sh nsexec VMDIR CMD...             run CMD in the VM's network+pid namespaces (host filesystem)
# Boot options (env): FAKEVM_DOCKER=1 start dockerd at boot (like Colima); FAKEVM_NOSUDO_PASSWORDLESS=1 sudo asks limauser
#   for a password (which it does not have); FAKEVM_HOSTS="ADDR NAME;ADDR NAME" lines for the VM's /etc/hosts, written
#   before dockerd starts; FAKEVM_LO_ADDRS="ADDR/32 ..." addresses added to the VM netns' own lo (net mode only).
# State in VMDIR persists across stop/start (like a VM disk): use a fresh VMDIR per test. Needs root, Linux, overlayfs.
# Adapted from the team's sandbox recipe; the project carries this copy and never calls an outside one.
set -euo pipefail
VMUSER=${FAKEVM_USER:-limauser}
usage() { sed -n '2,10p' "$0" >&2; exit 2; }
cmd=${1:-}; [ $# -ge 2 ] || usage
V=$(mkdir -p "$2" && readlink -f "$2")
alive() { [ -e /proc/$1 ] && ! grep -qs '^[0-9]* ([^)]*) Z' /proc/$1/stat; }
# PID 1 of the VM, as seen from the host: the only child of the unshare process
initpid() { local u c; u=$(cat "$V/unshare.pid"); c=$(cat /proc/$u/task/$u/children 2>/dev/null || true); [ -n "$c" ] || { echo "fakevm: VM $V is not running" >&2; return 1; }; echo "${c%% *}"; }
case $cmd in
stop)
  if [ -f "$V/unshare.pid" ]; then
    u=$(cat "$V/unshare.pid"); p=$(initpid 2>/dev/null || true)
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; kill -KILL "$u" 2>/dev/null || true
    for i in $(seq 1 500); do { [ -n "$p" ] && alive "$p"; } || alive "$u" || break; sleep 0.01; done
    rm -f "$V/unshare.pid"
  fi; exit 0;;
exec)   shift 2; p=$(initpid); exec nsenter -t "$p" -m -u -p -n -- "$@";;
nsexec) shift 2; p=$(initpid); exec nsenter -t "$p" -p -n -- "$@";;
start)
  [ $# -ge 4 ] || usage; PORT=$3; FAKEVM_DETACHED=1 setsid "$0" run "$V" "$3" "$4" ${5:-} >"$V/console.log" 2>&1 </dev/null &
  end=$((SECONDS + 60)); while [ $SECONDS -lt $end ]; do
    # ready = an SSH banner comes back through 127.0.0.1:PORT
    if banner=$(timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; head -c 7 <&3" 2>/dev/null) && [ "$banner" = SSH-2.0 ]; then exit 0; fi
    kill -0 $! 2>/dev/null || { echo "fakevm failed:" >&2; cat "$V/console.log" >&2; exit 1; }
    sleep 0.01
  done; echo "fakevm: no ssh banner on 127.0.0.1:$PORT in 60 s; stopping it" >&2; cat "$V/console.log" >&2; "$0" stop "$V"; exit 1;;
run) [ $# -ge 4 ] || usage;;
*) usage;;
esac
PORT=$3; PUB=$(readlink -f "$4"); NET=${5:-}
[ -z "$NET" ] || [ "$NET" = net ] || usage
mkdir -p "$V"/{etc-upper,etc-work,var-upper,var-work,lbin-upper,lbin-work,home,roothome,run,local-ca,sbin,docker}
rm -rf "$V/run"/* "$V/etc-work"/* "$V/var-work"/* "$V/lbin-work"/* 2>/dev/null || true     # /run is volatile, like a reboot
# the VM's local CA folder starts as a copy of the host's (first boot only; it then persists like a disk)
[ -f "$V/local-ca.seeded" ] || { cp -a /usr/local/share/ca-certificates/. "$V/local-ca/" 2>/dev/null || true; touch "$V/local-ca.seeded"; }
[ -f "$V/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C fakevm-host -f "$V/ssh_host_ed25519_key"
cp "$PUB" "$V/authorized_keys"
mkdir -p "$V/run/fakevm"; cp "$V/ssh_host_ed25519_key" "$V/authorized_keys" "$V/run/fakevm/"
if [ -n "$NET" ]; then LPORT=22; DOPTS=''; else LPORT=$PORT; DOPTS='--iptables=false --ip6tables=false --bridge=none'; fi
cat > "$V/run/fakevm/sshd_config" <<CFG
Port $LPORT
ListenAddress 127.0.0.1
HostKey /run/fakevm/ssh_host_ed25519_key
PidFile /run/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
AuthenticationMethods publickey
PubkeyAcceptedAlgorithms ssh-ed25519
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $VMUSER
UsePAM no
UseDNS no
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel VERBOSE
CFG
cat > "$V/sbin/service" <<'SVC'
#!/bin/bash
# service/systemctl stand-in for the sandbox VM (it has no systemd).
#   systemctl [--quiet] [--user] ACTION UNIT...   service UNIT ACTION
# Units: docker (a real dockerd); containerd, buildkit, k3s exist but are never active. No --user units.
# is-active/status: print active|inactive, exit 0 if any unit is active, else 3 (like systemd).
# start/stop/restart: docker only. Unknown units exit 4, unknown actions/options exit 2.
# docker start honours the Environment= and ExecStartPre= lines of /etc/systemd/system/docker.service.d/*.conf
#   (in name order, unquoted values, a leading "-" ignores a failure), as systemd does after daemon-reload;
#   daemon-reload is accepted (nothing to do); reload sends SIGHUP to dockerd, like docker.service's ExecReload.
quiet=; user=; args=()
if [ "$(basename "$0")" = systemctl ]; then
  for a in "$@"; do case $a in
    -q|--quiet) quiet=1;; --user) user=1;; --system|--no-pager|--no-ask-password|--no-block) ;;
    -*) echo "fakevm systemctl: unsupported option $a" >&2; exit 2;;
    *) args+=("$a");; esac; done
  action=${args[0]:-}; units=("${args[@]:1}")
else
  [ $# -eq 2 ] || { echo "usage: service UNIT ACTION" >&2; exit 2; }
  units=("$1"); action=$2
fi
[ ${#units[@]} -gt 0 ] || [ "$action" = daemon-reload ] || { echo "fakevm: $action needs a unit" >&2; exit 2; }
pidf=/run/docker.pid
running() { [ -f $pidf ] && [ -e "/proc/$(cat $pidf)" ]; }
do_stop() { if running; then p=$(cat $pidf); kill "$p"; for i in $(seq 1 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done; fi; rm -f $pidf; }
do_start() {
  running && return 0
  local envs=() pres=() f l c
  for f in /etc/systemd/system/docker.service.d/*.conf; do
    [ -f "$f" ] || continue
    while IFS= read -r l; do case $l in
      Environment=*) envs+=("${l#Environment=}");;
      ExecStartPre=*) pres+=("${l#ExecStartPre=}");;
    esac; done < "$f"
  done
  for c in "${pres[@]}"; do
    if [ "${c#-}" != "$c" ]; then env "${envs[@]}" sh -c "${c#-}" </dev/null >>/var/log/dockerd.log 2>&1 || true
    else env "${envs[@]}" sh -c "$c" </dev/null >>/var/log/dockerd.log 2>&1 || { echo "ExecStartPre failed: $c" >&2; return 1; }; fi
  done
  setsid env "${envs[@]}" dockerd $(cat /etc/fakevm-dockerd-opts) --pidfile $pidf -H unix:///run/docker.sock >>/var/log/dockerd.log 2>&1 </dev/null &
  for i in $(seq 1 600); do docker -H unix:///run/docker.sock version >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "dockerd did not come up" >&2; tail -20 /var/log/dockerd.log >&2; return 1; }
state() {  # prints active|inactive for one unit; exit 4 for unknown units
  [ -z "$user" ] || { echo inactive; return 0; }
  case $1 in docker) running && echo active || echo inactive;; containerd|buildkit|k3s) echo inactive;;
    *) echo "fakevm: unknown unit $1 (known: docker containerd buildkit k3s)" >&2; return 4;; esac; }
case $action in
  daemon-reload) exit 0;;
  reload)
    for u in "${units[@]}"; do [ "${u%.service}" = docker ] || { echo "fakevm: cannot reload $u" >&2; exit 5; }; done
    running || { echo "fakevm: docker is not active" >&2; exit 7; }; kill -HUP "$(cat $pidf)";;
  is-active|status)
    any=3; for u in "${units[@]}"; do s=$(state "${u%.service}") || exit 4; [ -n "$quiet" ] || echo "$s"; [ "$s" != active ] || any=0; done
    exit $any;;
  start|stop|restart)
    [ -z "$user" ] || { echo "fakevm: no user units" >&2; exit 5; }
    for u in "${units[@]}"; do u=${u%.service}; case $u in
      docker) case $action in start) do_start;; stop) do_stop;; restart) do_stop; do_start;; esac;;
      containerd|buildkit|k3s) echo "fakevm: unit $u is not installed in this sandbox" >&2; exit 5;;
      *) echo "fakevm: unknown unit $u" >&2; exit 4;; esac; done;;
  *) echo "fakevm: unsupported action '$action' (is-active status start stop restart reload daemon-reload)" >&2; exit 2;;
esac
SVC
chmod 755 "$V/sbin/service"; ln -sf service "$V/sbin/systemctl"
ln -sf /usr/local/sbin/service "$V/lbin-upper/service"; ln -sf /usr/local/sbin/service "$V/lbin-upper/systemctl"  # shadow for non-sudo PATH too
if [ "${FAKEVM_NOSUDO_PASSWORDLESS:-}" = 1 ]; then SUDOERS="$VMUSER ALL=(ALL) ALL"; else SUDOERS="$VMUSER ALL=(ALL) NOPASSWD:ALL"; fi
printf '%s\n' "${FAKEVM_HOSTS:-}" | tr ';' '\n' | sed '/^[[:space:]]*$/d' > "$V/run/fakevm/hosts"
printf '%s\n' ${FAKEVM_LO_ADDRS:-} > "$V/run/fakevm/lo-addrs"
cat > "$V/init.sh" <<INIT
#!/bin/bash
set -euo pipefail
mount -t overlay overlay -o lowerdir=/etc,upperdir=$V/etc-upper,workdir=$V/etc-work /etc
mount -t overlay overlay -o lowerdir=/var,upperdir=$V/var-upper,workdir=$V/var-work /var
mkdir -p /var/lib/docker && mount --bind $V/docker /var/lib/docker
mount --bind $V/local-ca /usr/local/share/ca-certificates
mount --bind $V/sbin /usr/local/sbin
mount -t overlay overlay -o lowerdir=/usr/local/bin,upperdir=$V/lbin-upper,workdir=$V/lbin-work /usr/local/bin
mount --bind $V/home /home
mount --bind $V/run /run
mount --bind $V/roothome /root
mount -o remount,bind,ro /                     # the rest of the host filesystem is read-only in the VM
mount -t tmpfs -o mode=1777 tmpfs /tmp         # private, volatile /tmp (hides the host's /tmp and VMDIR)
mkdir -p /run/sshd /run/lock && chmod 755 /run/sshd
mkdir -p /run/systemd/system                  # sd_booted(): tools (and vmtrust) take this VM for a systemd one
hostname fakevm
grep -q fakevm /etc/hosts || echo '127.0.1.1 fakevm' >> /etc/hosts
while read -r line; do [ -z "\$line" ] || grep -qxF "\$line" /etc/hosts || echo "\$line" >> /etc/hosts; done < /run/fakevm/hosts
echo '$DOPTS' > /etc/fakevm-dockerd-opts
rm -f /etc/ca-certificates/update.d/jks-keystore   # host-only hook: would run dpkg triggers on the host's dpkg db
if ! id $VMUSER >/dev/null 2>&1; then
  useradd -m -s /bin/bash -G sudo\$(getent group docker >/dev/null && echo ,docker) $VMUSER
  usermod -p '*' $VMUSER                       # no password; '*' (not '!') keeps key logins working with UsePAM no
fi
echo '$SUDOERS' > /etc/sudoers.d/90-$VMUSER; chmod 440 /etc/sudoers.d/90-$VMUSER   # rewritten each boot
install -d -m 700 -o $VMUSER -g $VMUSER /home/$VMUSER/.ssh
install -m 600 -o $VMUSER -g $VMUSER /run/fakevm/authorized_keys /home/$VMUSER/.ssh/authorized_keys
if [ -n "$NET" ]; then
  # port forward host 127.0.0.1:$PORT -> VM 127.0.0.1:22 (like Lima); socat stays in the host netns but in the VM's PID ns
  socat TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork,nodelay "EXEC:nsenter --net=/proc/1/ns/net socat STDIO TCP\:127.0.0.1\:22\,nodelay" </dev/null &
  for i in \$(seq 1 300); do   # fail the boot at once if the port is taken (socat exits), instead of never answering
    kill -0 \$! 2>/dev/null || { echo "fakevm: socat cannot listen on 127.0.0.1:$PORT" >&2; exit 1; }
    ss -Hltnp 'sport = :$PORT' | grep -q "pid=\$!," && break; sleep 0.01; done   # ss -p sees only this PID ns
  exec unshare --net /bin/sh -c 'ip link set lo up && while read -r a; do [ -z "\$a" ] || ip addr add "\$a" dev lo; done < /run/fakevm/lo-addrs && { [ "${FAKEVM_DOCKER:-}" != 1 ] || service docker start; } && exec /usr/sbin/sshd -D -e -f /run/fakevm/sshd_config'
fi
[ "${FAKEVM_DOCKER:-}" != 1 ] || service docker start
exec /usr/sbin/sshd -D -e -f /run/fakevm/sshd_config
INIT
chmod +x "$V/init.sh"
echo $$ > "$V/unshare.pid"
PD=(setpriv --pdeathsig KILL --); [ -n "${FAKEVM_DETACHED:-}" ] && PD=()
exec "${PD[@]}" unshare --mount --uts --pid --fork --kill-child --mount-proc --propagation private "$V/init.sh"
