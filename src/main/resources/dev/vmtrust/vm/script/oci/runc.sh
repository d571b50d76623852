#!/bin/sh
# vmtrust's OCI runtime wrapper, written into the VM by vmtrust (containers.inject); the next sync rewrites it.
# dockerd's runtime "vmtrust" (this file, edits on create) and, as bin/runc (a link here) first on dockerd's
# PATH, BuildKit's runc (edits on run). While /etc/vmtrust/containers/inject exists (line 1: the VM's bundle,
# line 2: python3, found when vmtrust wrote it: no lookup per container), vmtrust_oci.py adds the
# CA bundle and the variables to the container's spec; then the real runc always runs with the same
# arguments. Anything that goes wrong leaves the spec as it was (fails open); see /var/log/vmtrust-runtime.log.
# Opt out per container: VMTRUST_INJECT=0 in its environment (or the annotation dev.vmtrust.inject=false).
d=/etc/vmtrust/runtime
set -f
# the real runc: this PATH without our folder (dockerd's PATH starts with it for BuildKit)
p='' o=$IFS IFS=:
for x in $PATH; do [ "$x" = "$d/bin" ] || p=${p:+$p:}$x; done
IFS=$o PATH=${p:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}
b='' py=''
# shellcheck disable=SC2034 # b: line 1 (the bundle) is the helper's; read here only to reach line 2
if { IFS='' read -r b && IFS='' read -r py; } 2>/dev/null </etc/vmtrust/containers/inject; then
  case $0 in */bin/runc) m=build ;; *) m=runtime ;; esac
  s='' v=''
  for a; do # the subcommand: the first word that is neither a global option nor its value
    if [ -n "$v" ]; then v=''; continue; fi
    case $a in
      --root|--log|--log-format|--criu|--rootless|-root|-log|-log-format|-criu|-rootless) v=1 ;;
      -*) ;;
      *) s=$a; break ;;
    esac
  done
  case $m:$s in
    runtime:create|runtime:run|build:run|*:exec)
      # imported, not run as a script: python keeps its compiled form in $d/__pycache__ (checked against the source)
      "${py:-/usr/bin/python3}" -I -S -c 'import sys; sys.path[:0] = ["/etc/vmtrust/runtime"]; import vmtrust_oci
sys.exit(vmtrust_oci.main(sys.argv[1:]))' spec "$m" "$@" </dev/null >/dev/null 2>>/var/log/vmtrust-runtime.log ||
        echo "vmtrust-runtime[$$]: ${py:-/usr/bin/python3} exited $? on $s; the container runs without the CAs" >>/var/log/vmtrust-runtime.log 2>&1 || : ;;
  esac
fi
command -v runc >/dev/null 2>&1 || PATH=$PATH:/usr/bin:/usr/sbin:/usr/local/bin:/usr/local/sbin
exec runc "$@"
