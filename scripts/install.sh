#!/bin/sh
# Installs vmtrust for the current user: finds a Java 17+, builds the jar with Maven, copies the launcher and
# jar to a stable folder (~/Library/Application Support/vmtrust on macOS, ${XDG_DATA_HOME:-~/.local/share}/vmtrust
# elsewhere), records the Java in java.path (launchd and systemd give the agent a short PATH), writes an AppCDS
# archive, installs the agent (launchd / systemd --user) and prints `vmtrust status`. Safe to run again.
# POSIX sh, BSD or GNU userland; every path stays one argument (HOME may hold spaces, quotes, $).
# Options: --no-service  copy files only; do not install the agent.
# Tests only: VMTRUST_TEST_ROOT (default empty) is put before the fixed paths probed here (/usr/libexec/java_home,
# /opt/homebrew, /usr/local/opt, /Library and /System keychains, /etc CA bundles) so tests can stand in for
# them. Never set it otherwise.
set -eu
unset CDPATH
T=${VMTRUST_TEST_ROOT:-}
case $0 in */*) d=${0%/*} ;; *) d=. ;; esac
root=$(cd -P "$d/.." && pwd -P)
service=1
case ${1:-} in
  "") ;;
  --no-service) service=0 ;;
  *) echo "install: unknown option $1 (usage: install.sh [--no-service])" >&2; exit 2 ;;
esac
os=$(uname -s)

say() { printf 'install: %s\n' "$*"; }
warn() { printf 'install: %s\n' "$*" >&2; }
# q WORD: WORD quoted for pasting into a shell ('...', each ' written as '\'')
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
on_mac() { [ "$os" = Darwin ]; }

# --- Java 17+ -------------------------------------------------------------------------------------------------
# On a Mac /usr/bin/java always exists: without a registered JDK it is a stub that fails with "Unable to locate a
# Java Runtime". Homebrew's openjdk kegs are not registered unless the user linked them, so probe them by path.
java_cmd='' java_home='' java_version='' tried=''
# java_parse TEXT: sets java_version (as `java -version` prints it) and major (17.0.15 -> 17, 21 -> 21,
# 1.8.0_392 -> 8; '' when there is none)
java_parse() {
  java_version=$(printf '%s\n' "$1" | sed -n 's/^.* version "\([^"]*\)".*$/\1/p' | head -n 1)
  major=$java_version
  case $major in 1.*) major=${major#1.} ;; esac
  major=${major%%[!0-9]*}
}
# try_java PATH WHY: takes PATH when nothing was taken yet and it runs and is 17 or newer; says why not otherwise
try_java() {
  if [ -n "$java_cmd" ] || [ ! -f "$1" ] || [ ! -x "$1" ]; then return 0; fi
  case $tried in *"|$1|"*) return 0 ;; esac
  tried="$tried|$1|"
  out=$("$1" -XshowSettings:properties -version 2>&1 </dev/null) && rc=0 || rc=$?
  java_parse "$out"
  if [ "$rc" != 0 ]; then
    case $out in
      *"Unable to locate a Java Runtime"*) warn "refused $1 ($2): it is macOS's stand-in; no Java runtime is installed" ;;
      *) warn "refused $1 ($2): it does not run (exit $rc: $(printf '%s\n' "$out" | head -n 1))" ;;
    esac
  elif [ -z "$major" ]; then
    warn "refused $1 ($2): no version in its java -version output"
  elif [ "$major" -lt 17 ]; then
    warn "refused $1 ($2): Java $major ($java_version); 17 or newer is needed"
  else
    java_cmd=$1
    java_home=$(printf '%s\n' "$out" | sed -n 's/^ *java\.home = //p' | head -n 1)
    [ -n "$java_home" ] || java_home=$(cd -P "${1%/*}/.." && pwd -P)
    say "using Java $java_version ($2): $1"
  fi
}
if [ -n "${JAVA_HOME:-}" ]; then
  if [ -x "$JAVA_HOME/bin/java" ]; then try_java "$JAVA_HOME/bin/java" "\$JAVA_HOME"
  else warn "refused $JAVA_HOME/bin/java (\$JAVA_HOME): it does not exist"
  fi
fi
if on_mac; then
  if [ -z "$java_cmd" ] && [ -x "$T/usr/libexec/java_home" ] && jh=$("$T/usr/libexec/java_home" -v 17+ 2>/dev/null); then
    try_java "$jh/bin/java" "/usr/libexec/java_home -v 17+"
  fi
  for b in "$T/opt/homebrew/opt" "$T/usr/local/opt"; do
    try_java "$b/openjdk@17/bin/java" "Homebrew openjdk@17"
    try_java "$b/openjdk/bin/java" "Homebrew openjdk"
  done
fi
if p=$(command -v java 2>/dev/null); then try_java "$p" PATH; fi
if [ -z "$java_cmd" ]; then
  if on_mac; then warn "no Java 17 or newer found; install one with: brew install openjdk@17 (then run this script again)"
  else warn "no Java 17 or newer found; install a JDK with: sudo apt-get install openjdk-17-jdk-headless (Debian, Ubuntu) or sudo dnf install java-17-openjdk-devel (Fedora, RHEL)"
  fi
  exit 1
fi
if ! command -v mvn >/dev/null 2>&1; then
  if on_mac; then warn "Maven (mvn) is needed to build vmtrust; install it with: brew install maven"
  else warn "Maven (mvn) is needed to build vmtrust; install it with: sudo apt-get install maven (Debian, Ubuntu) or sudo dnf install maven (Fedora, RHEL)"
  fi
  exit 1
fi
[ -x "$java_home/bin/javac" ] || warn "$java_home has no javac (a runtime, not a JDK): Maven needs a JDK to compile"

# --- build, and once more with the host's CAs when TLS to Maven Central fails --------------------------------
# mvn splits MAVEN_OPTS on blanks, so the temporary trust store's path must have none: fall back to /tmp.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmtrust-install.XXXXXX")
case $tmp in *[!A-Za-z0-9._/-]*) rmdir "$tmp"; tmp=$(mktemp -d /tmp/vmtrust-install.XXXXXX) ;; esac
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log=$tmp/build.log store=$tmp/trust.p12
# The store holds public certificates only; its password just satisfies keytool and PKCS12.
pw=vmtrust-install
build() { (cd "$root" && JAVA_HOME=$java_home mvn -B -q -DskipTests package) >"$log" 2>&1; }
tls_failure() { grep -q -e 'PKIX path building failed' -e 'unable to find valid certification path' -e 'SSLHandshakeException' "$log"; }
# host_pem FILE: the host's trusted certificates as PEM (macOS: the keychains; Linux: the merged CA bundle)
host_pem() {
  into=$1
  if on_mac; then
    set --   # only keychains that exist: security fails the whole call on a missing one
    for k in "$T/Library/Keychains/System.keychain" "$HOME/Library/Keychains/login.keychain-db" \
             "$T/System/Library/Keychains/SystemRootCertificates.keychain"; do
      if [ -f "$k" ]; then set -- "$@" "$k"; fi
    done
    # -p prints certificates only (never keys); a failure still leaves what it printed
    security find-certificate -a -p "$@" >"$into.tmp" 2>"$tmp/security.err" ||
      warn "security find-certificate failed: $(tail -n 1 "$tmp/security.err"); using the certificates it printed"
    mv "$into.tmp" "$into"
  else
    cp "$bundle" "$into"
  fi
}
# make_store: $store = the JDK's cacerts + the host's certificates not already in it (one keytool call each)
make_store() {
  kt=$java_home/bin/keytool
  [ -x "$kt" ] || kt=keytool
  mkdir "$tmp/certs"
  : >"$tmp/jdk.pem"
  cacerts=$java_home/lib/security/cacerts
  if [ -f "$cacerts" ]; then
    "$kt" -importkeystore -noprompt -srckeystore "$cacerts" -srcstorepass changeit -destkeystore "$store" \
      -deststoretype PKCS12 -deststorepass "$pw" >"$tmp/keytool.log" 2>&1 || warn "could not copy $cacerts (keytool: $(tail -n 1 "$tmp/keytool.log"))"
    "$kt" -list -rfc -keystore "$cacerts" -storepass changeit >"$tmp/jdk.pem" 2>/dev/null || :
  fi
  host_pem "$tmp/host.pem"
  # one file per CERTIFICATE block (any other block, such as a key, is never copied), skipping those whose
  # base64 body is already in the JDK's set; prints how many it wrote
  new=$( { tr -d '\r' <"$tmp/jdk.pem"; echo '#vmtrust-host'; tr -d '\r' <"$tmp/host.pem"; } | (cd "$tmp/certs" && awk '
    /^#vmtrust-host$/ { host = 1; next }
    /^-----BEGIN CERTIFICATE-----/ { inb = 1; body = ""; text = ""; next }
    inb && /^-----END CERTIFICATE-----/ {
      inb = 0
      if (body in seen) next
      seen[body] = 1
      if (!host) next
      n++; f = sprintf("host-%04d.pem", n)
      printf "-----BEGIN CERTIFICATE-----\n%s-----END CERTIFICATE-----\n", text > f
      close(f); next
    }
    inb { gsub(/[ \t]/, ""); body = body $0; text = text $0 "\n" }
    END { print n + 0 }') )
  bad=0
  for f in "$tmp"/certs/host-*.pem; do
    [ -f "$f" ] || continue
    a=${f##*/}
    "$kt" -importcert -noprompt -alias "vmtrust-${a%.pem}" -file "$f" -keystore "$store" -storetype PKCS12 \
      -storepass "$pw" >/dev/null 2>&1 || bad=$((bad + 1))
  done
  new=$((new - bad)) c=certificates
  if [ "$new" = 1 ]; then c=certificate; fi
  warn "trust store: the JDK's cacerts and $new more $c from this host ($bad unreadable)"
  [ -f "$store" ]
}
say "building the jar (mvn -B -q -DskipTests package) with Java in $java_home"
if ! build; then
  if ! tls_failure; then
    cat "$log" >&2
    warn "the build failed (see above); run 'mvn -B package' in $(q "$root") to see the whole log"
    exit 1
  fi
  if on_mac; then
    command -v security >/dev/null 2>&1 || { cat "$log" >&2; warn "the build failed on TLS (PKIX) and security (the Keychain tool) is missing"; exit 1; }
    warn "the build failed on TLS (PKIX): retrying with a trust store of this Mac's Keychain certificates"
  else
    bundle=
    for b in "$T/etc/ssl/certs/ca-certificates.crt" "$T/etc/pki/tls/certs/ca-bundle.crt" "$T/etc/ssl/ca-bundle.pem"; do
      if [ -z "$bundle" ] && [ -f "$b" ]; then bundle=$b; fi
    done
    [ -n "$bundle" ] || { cat "$log" >&2; warn "the build failed on TLS (PKIX) and this host has no CA bundle to retry with"; exit 1; }
    warn "the build failed on TLS (PKIX): retrying with a trust store of this host's CA bundle ($bundle)"
  fi
  make_store || { warn "could not make a trust store (see above)"; exit 1; }
  # TLS checks stay on: the retry only adds the CAs this host already trusts; existing MAVEN_OPTS are kept
  if ! (MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djavax.net.ssl.trustStore=$store -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=$pw"
        export MAVEN_OPTS; build); then
    cat "$log" >&2
    if tls_failure; then
      warn "the build still fails on TLS with this host's certificates: the proxy's root CA is not among them; add it (macOS: Keychain Access, System keychain, Always Trust) and run this script again"
    else
      warn "the build failed (see above); run 'mvn -B package' in $(q "$root") to see the whole log"
    fi
    exit 1
  fi
  rm -f "$store"
fi

# --- copy into place ------------------------------------------------------------------------------------------
if on_mac; then dest="$HOME/Library/Application Support/vmtrust"; else dest="${XDG_DATA_HOME:-$HOME/.local/share}/vmtrust"; fi
mkdir -p "$dest"
chmod 755 "$dest"
# the physical path, as the launcher computes it: the AppCDS archive only matches the jar path it was made with
dest=$(cd -P "$dest" && pwd -P)
# copy then rename: a running agent keeps its open jar until it restarts
cp "$root/target/vmtrust.jar" "$dest/.vmtrust.jar.new" && mv -f "$dest/.vmtrust.jar.new" "$dest/vmtrust.jar"
cp "$root/scripts/vmtrust" "$dest/.vmtrust.new" && chmod 755 "$dest/.vmtrust.new" && mv -f "$dest/.vmtrust.new" "$dest/vmtrust"
printf '%s\n' "$java_cmd" >"$dest/java.path"
# AppCDS (JDK 17: a dynamic archive written at exit) of vmtrust's classes, with the launcher's JVM options
# (an archive only works with the GC it was made with). Best effort: without it start-up is just slower.
# JDK 17 reads ':' in the archive option as a separator, so a folder with ':' in its path gets none.
# The training run prints JSON so that the JSON library's classes (jackson) are in the archive too.
rm -f "$dest/vmtrust.jsa"
case $dest in
  *:*) ;;
  *) "$java_cmd" -Xmx64m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xshare:auto -XX:-UsePerfData \
       -XX:ArchiveClassesAtExit="$dest/vmtrust.jsa" -jar "$dest/vmtrust.jar" list --json >/dev/null 2>&1 </dev/null || true ;;
esac
if [ -f "$dest/vmtrust.jsa" ]; then chmod 644 "$dest/vmtrust.jsa"; fi
chmod 644 "$dest/vmtrust.jar" "$dest/java.path"
say "vmtrust is in $dest"
say "to run it as vmtrust, link it into a folder on your PATH, e.g.:"
echo "  mkdir -p ~/.local/bin && ln -sf $(q "$dest/vmtrust") ~/.local/bin/vmtrust"

if [ "$service" = 1 ]; then
  if ! "$dest/vmtrust" install; then
    say "the agent could not be installed as a service (see above)."
    say "run it in the foreground instead:  $(q "$dest/vmtrust") run"
  fi
fi
"$dest/vmtrust" status || true
