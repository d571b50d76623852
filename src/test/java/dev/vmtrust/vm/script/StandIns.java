package dev.vmtrust.vm.script;

/**
 * Stand-in programs for the tests: each appends {@code name args} to {@code $STANDIN_LOG} and answers
 * from files in {@code $STANDIN_CFG}; none calls a real tool (only sudo runs its argument, which is
 * again a stand-in or {@code env}). Configuration files:
 * {@code trust-fail} (trust tools exit 1), {@code trust-slow} (trust tools log begin/end to
 * {@code trust-order} around a 0.2 s sleep), {@code active-UNIT} / {@code user-active-UNIT} (unit is
 * active; systemctl is-active prints one state per unit unless --quiet, like systemd), {@code state-UNIT} /
 * {@code user-state-UNIT} (that state instead), {@code is-active-mute} / {@code user-is-active-mute}
 * (is-active prints nothing and exits 1), {@code restart-fail-UNIT}, {@code docker-ps} / {@code user-docker-ps} (container ids),
 * {@code live-restore} (docker info answer), {@code ctr-namespaces}, {@code ctr-tasks-NS},
 * {@code nerdctl-namespaces}, {@code nerdctl-ps-NS}, {@code docker-fail} (docker exits 1).
 */
final class StandIns {
    private StandIns() {}

    static String script(String name) {
        String head = "#!/bin/sh\nprintf '%s\\n' \"" + name + " $*\" >>\"$STANDIN_LOG\"\nC=$STANDIN_CFG\n";
        return head
                + switch (name) {
                    case "update-ca-certificates", "update-ca-trust", "trust" -> """
                    echo "Updating certificates (stand-in)"
                    if [ -f "$C/trust-slow" ]; then echo "begin $$" >>"$C/trust-order"; sleep 0.2; echo "end $$" >>"$C/trust-order"; fi
                    if [ -f "$C/trust-fail" ]; then echo "stand-in trust failure" >&2; exit 1; fi
                    """;
                    case "systemctl" -> """
                    u=; if [ "$1" = --user ]; then u=user-; shift; fi
                    case $1 in
                      is-active) shift; q=; if [ "$1" = --quiet ]; then q=1; shift; fi
                        if [ -f "$C/${u}is-active-mute" ]; then exit 1; fi
                        rc=3; for n in "$@"; do
                          s=inactive; if [ -f "$C/${u}state-$n" ]; then s=$(cat "$C/${u}state-$n"); elif [ -f "$C/${u}active-$n" ]; then s=active; fi
                          case $s in active|reloading|refreshing) rc=0 ;; esac
                          [ -n "$q" ] || echo "$s"
                        done; exit $rc ;;
                      restart) [ ! -f "$C/restart-fail-$2" ] ;;
                    esac
                    """;
                    case "rc-service" -> """
                    case $2 in
                      status) [ -f "$C/active-$1" ] ;;
                      restart) [ ! -f "$C/restart-fail-$1" ] ;;
                    esac
                    """;
                    case "service" -> """
                    [ "$2" = restart ] && [ ! -f "$C/restart-fail-$1" ]
                    """;
                    case "docker" -> """
                    if [ -f "$C/docker-fail" ]; then exit 1; fi
                    p=; if [ -n "${DOCKER_HOST:-}" ]; then p=user-; fi
                    case $1 in
                      ps) if [ -f "$C/${p}docker-ps" ]; then cat "$C/${p}docker-ps"; fi ;;
                      info) if [ -f "$C/live-restore" ]; then cat "$C/live-restore"; else echo false; fi ;;
                    esac
                    """;
                    case "ctr" -> """
                    if [ "$1" = namespaces ]; then cat "$C/ctr-namespaces" 2>/dev/null; exit 0; fi
                    if [ -f "$C/ctr-tasks-$2" ]; then cat "$C/ctr-tasks-$2"; fi
                    """;
                    case "nerdctl" -> """
                    if [ "$1" = namespace ]; then cat "$C/nerdctl-namespaces" 2>/dev/null; exit 0; fi
                    if [ -f "$C/nerdctl-ps-$2" ]; then cat "$C/nerdctl-ps-$2"; fi
                    """;
                    case "sudo" -> """
                    while [ $# -gt 0 ]; do case $1 in -n) shift ;; -u) shift 2 ;; *) break ;; esac; done
                    exec "$@"
                    """;
                    case "id" -> """
                    if [ $# -ge 2 ]; then echo 1000; else echo 0; fi
                    """;
                    default -> throw new IllegalArgumentException(name);
                };
    }
}
