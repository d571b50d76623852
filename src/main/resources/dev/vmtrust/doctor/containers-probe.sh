# vmtrust doctor: proves containers.inject in this VM, read-only apart from one throwaway container
# (docker run --rm --pull never: an image already here, never one pulled). Fixed text, no arguments; run as
# root (sudo -n /bin/sh -s). Output, one fact a line:
#   vmtrust: ct-default NAME        dockerd's default runtime (vmtrust when injection is on)
#   vmtrust: ct-builds yes|no       dockerd runs with vmtrust's folder first on its PATH (BuildKit steps)
#   vmtrust: ct-probe ok ID|missing ID|no-image|no-docker|docker-down
# ID: the image's 12-hex id (never its name: names are text from outside).
PATH=$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
say() { printf 'vmtrust: %s\n' "$*"; }
if ! command -v docker >/dev/null 2>&1; then say "ct-probe no-docker"; exit 0; fi
rt=$(docker info --format '{{.DefaultRuntime}}' 2>/dev/null) || { say "ct-probe docker-down"; exit 0; }
case $rt in *[!A-Za-z0-9._-]*|'') rt=unknown ;; esac
say "ct-default $rt"
b=no
for f in /run/docker.pid /var/run/docker.pid; do
  p=''; if [ -f "$f" ]; then IFS='' read -r p <"$f" || :; fi
  case $p in ''|*[!0-9]*) continue ;; esac
  case "
$(tr '\000' '\n' <"/proc/$p/environ" 2>/dev/null)" in *"
PATH=/etc/vmtrust/runtime/bin:"*) b=yes ;; esac
  break
done
say "ct-builds $b"
t=''; if command -v timeout >/dev/null 2>&1; then t='timeout 30'; fi
n=0
for id in $(docker image ls -q 2>/dev/null | sort -u); do
  case $id in *[!0-9a-f]*|'') continue ;; esac
  n=$((n + 1)); [ $n -le 5 ] || break
  # as uid 65534, the image's own opt-out overridden; the answer is the last line
  # shellcheck disable=SC2016 # expanded by the container's shell, not this one
  out=$($t docker run --rm --pull never --network none --user 65534 --entrypoint /bin/sh -e VMTRUST_INJECT=1 "$id" -c \
    'if [ -r /dev/vmtrust/ca-bundle.pem ] && [ -r /dev/vmtrust/corporate.pem ] && [ -n "${SSL_CERT_FILE:-}" ] && [ -r "$SSL_CERT_FILE" ]; then echo vmtrust-probe-ok; else echo vmtrust-probe-missing; fi' \
    2>/dev/null </dev/null) || :
  case $out in
    *vmtrust-probe-ok) say "ct-probe ok $(printf %.12s "$id")"; exit 0 ;;
    *vmtrust-probe-missing) say "ct-probe missing $(printf %.12s "$id")"; exit 0 ;;
  esac
done
say "ct-probe no-image"
