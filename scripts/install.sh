#!/bin/sh
# Installs vmtrust for the current user: builds the jar, copies the launcher and jar to a stable place
# (~/Library/Application Support/vmtrust on macOS, ~/.local/share/vmtrust elsewhere), installs the agent
# (launchd / systemd --user), and prints `vmtrust status`. Safe to run again (upgrades in place).
# Options: --no-service  copy files only; do not install the agent.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd -P)
service=1
[ "${1:-}" = --no-service ] && service=0

command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] || {
  echo "install: Java 17 or newer is needed (e.g. brew install openjdk@17, or apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
java_cmd=$(command -v java || echo "$JAVA_HOME/bin/java")
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java_cmd="$JAVA_HOME/bin/java"

case "$(uname -s)" in
  Darwin) dest="$HOME/Library/Application Support/vmtrust" ;;
  *) dest="${XDG_DATA_HOME:-$HOME/.local/share}/vmtrust" ;;
esac

echo "install: building the jar (mvn -B -q -DskipTests package)"
(cd "$root" && mvn -B -q -DskipTests package)

mkdir -p "$dest"
chmod 755 "$dest"
# copy then rename: a running agent keeps its open jar until it restarts
cp "$root/target/vmtrust.jar" "$dest/.vmtrust.jar.new" && mv -f "$dest/.vmtrust.jar.new" "$dest/vmtrust.jar"
cp "$root/scripts/vmtrust" "$dest/.vmtrust.new" && chmod 755 "$dest/.vmtrust.new" && mv -f "$dest/.vmtrust.new" "$dest/vmtrust"
printf '%s\n' "$java_cmd" > "$dest/java.path"
# AppCDS (JDK 17: a dynamic archive written at exit) of vmtrust's classes, with the launcher's JVM options
# (an archive only works with the GC it was made with). Best effort: without it start-up is just slower.
rm -f "$dest/vmtrust.jsa"
"$java_cmd" -Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xshare:auto \
  -XX:ArchiveClassesAtExit="$dest/vmtrust.jsa" -jar "$dest/vmtrust.jar" list >/dev/null 2>&1 || true
[ -f "$dest/vmtrust.jsa" ] && chmod 644 "$dest/vmtrust.jsa"
chmod 644 "$dest/vmtrust.jar" "$dest/java.path"
echo "install: vmtrust is in $dest (add it to PATH, or: ln -s \"$dest/vmtrust\" ~/.local/bin/vmtrust)"

if [ "$service" = 1 ]; then
  if "$dest/vmtrust" install; then
    :
  else
    echo "install: the agent could not be installed as a service (see above)."
    echo "install: run it in the foreground instead:  \"$dest/vmtrust\" run"
  fi
fi
"$dest/vmtrust" status || true
