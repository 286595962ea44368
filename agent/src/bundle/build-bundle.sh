#!/bin/sh
# Builds agent/target/firstline-agent-linux-x64.tar.gz, the self-contained
# agent (README "Install the agent"; docs/operations.md). Run by Maven in the
# package phase, after the shaded jar exists:
#
#   build-bundle.sh JAVA_HOME TARGET_DIR REPO_DIR DEPENDENCY_LIST LOCAL_REPO
#
# JAVA_HOME is the JDK running Maven: its jdeps finds the modules the agent
# uses, its jlink and jmods make the trimmed runtime. Nothing is downloaded.
#
# The archive, under one top-level directory firstline-agent/:
#   bin/firstline-agent            the launcher (install/firstline-agent)
#   runtime/                       jlink image: only the modules the agent needs
#   lib/firstline-agent.jar        the agent and its libraries
#   lib/firstline-agent.jsa        class-data archive from a training run, and
#   lib/firstline-agent.jsa.cksum  its checksum (the launcher checks it)
#   legal/THIRD-PARTY-NOTICES.txt  every bundled library, version and licence;
#   legal/firstline-agent/...      the licence and notice files they ship;
#   runtime/legal/...              the Java runtime's own notices
set -eu

java_home=$1
target=$2
repo=$3
deps=$4
local_repo=$5

say() { echo "[firstline-agent bundle] $*"; }

jar=$target/firstline-agent.jar
work=$target/bundle
stage=$work/firstline-agent
archive=$target/firstline-agent-linux-x64.tar.gz
[ -f "$jar" ] || { echo "build-bundle: $jar is missing (the shade step makes it)" >&2; exit 1; }
if [ ! -d "$java_home/jmods" ]; then
    echo "build-bundle: $java_home has no jmods/ directory; jlink needs it (Debian: openjdk-17-jdk-headless ships it)" >&2
    exit 1
fi
rm -rf "$work" "$archive"
mkdir -p "$stage/bin" "$stage/lib" "$stage/legal/firstline-agent"

# 1. The modules the agent's classes refer to, plus the ones reached only
#    through service lookup, which jdeps cannot see (jdk.naming.dns: the DNS
#    provider of the dns_lookup diagnostic); jdk.crypto.ec provides
#    the EC keys of enrollment and of mutual TLS, jdk.random the generator
#    behind the link's reconnect jitter; java.logging, which JNA and protobuf
#    log through (jdeps leaves it implied by java.sql). Left out, because only optional code
#    of the libraries refers to them and the agent never runs it (each one
#    present costs memory: Netty starts the Flight Recorder's metadata when
#    jdk.jfr is there): java.desktop, java.datatransfer and java.prefs (JNA's
#    AWT helpers), java.sql, java.xml and java.transaction.xa (Jackson's and
#    picocli's optional converters), java.management (nothing since the fast
#    checks read their CPU clock themselves) and jdk.jfr (Netty's allocator
#    events). AgentArchiveIT runs collect from the image, the footprint
#    benchmark run and enroll.
left_out=" java.desktop java.datatransfer java.prefs java.sql java.xml java.transaction.xa java.management jdk.jfr "
modules=
for m in $("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar" | tr ',' ' ') java.logging jdk.crypto.ec jdk.random jdk.naming.dns; do
    case "$left_out" in *" $m "*) continue ;; esac
    modules="${modules:+$modules,}$m"
done
say "jlink runtime with $modules"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$stage/runtime"

# The archive is for Linux on x86-64: its copy of the jar leaves out the
# classes and native libraries of other systems (JNA's and OSHI's Windows,
# macOS, BSD, AIX and Solaris code, JNA's libraries for other CPUs) and
# Jackson's optional XML and SQL handlers. While the agent runs, the JDK
# keeps the jar's whole central directory on the heap, ~100 bytes an entry.
say "Linux x86-64 copy of the agent jar"
rm -rf "$work/jar"
mkdir -p "$work/jar"
(cd "$work/jar" && "$java_home/bin/jar" xf "$jar")
(
    cd "$work/jar"
    rm -rf com/sun/jna/platform/win32 com/sun/jna/platform/mac com/sun/jna/platform/wince com/sun/jna/platform/dnd \
        com/sun/jna/platform/bsd com/sun/jna/platform/unix/aix com/sun/jna/platform/unix/solaris \
        com/fasterxml/jackson/databind/ext
    for d in com/sun/jna/*-*/; do
        [ "$d" = "com/sun/jna/linux-x86-64/" ] || rm -rf "$d"
    done
    find oshi -type d \( -name windows -o -name mac -o -name aix -o -name solaris -o -name freebsd -o -name openbsd \) \
        -prune -exec rm -rf {} +
)
"$java_home/bin/jar" --create --file "$stage/lib/firstline-agent.jar" --manifest "$work/jar/META-INF/MANIFEST.MF" \
    -C "$work/jar" .
say "$("$java_home/bin/jar" tf "$jar" | wc -l) entries in the jar, $("$java_home/bin/jar" tf "$stage/lib/firstline-agent.jar" | wc -l) in the archive's copy"
cp "$repo/install/firstline-agent" "$stage/bin/firstline-agent"
chmod 755 "$stage/bin/firstline-agent"

# 2. Class-data sharing: a training run records the classes the agent loads,
#    then the runtime parses them once into an archive the agent maps at
#    start. The training is what an endpoint does all day: 'run', streaming
#    over mutual TLS for a few seconds at a 1 s interval to a throwaway peer
#    on loopback (TrainingPeer.java, run by the build JDK, never shipped).
#    Classes only 'collect', 'enroll' or a renewal use stay out: they load
#    from the jar when needed. Paths are relative to the archive's directory
#    (the launcher starts the JVM there), so the archive stays valid wherever
#    it is unpacked. The same collector, GC and heap flags as the launcher's.
say "class-data archive from a training run (run, mutual TLS, ${training_seconds:=12} s)"
flags="-XX:+UseSerialGC -Xmx32m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -Dio.netty.jfr.enabled=false"
# The peer's certificate, which the training agent also uses as its own and
# as the pinned console CA: a throwaway self-signed CA made by keytool.
"$java_home/bin/keytool" -genkeypair -alias peer -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
    -dname "CN=$(cat /proc/sys/kernel/random/uuid)" -ext bc:c -validity 3650 \
    -keystore "$work/training-peer.p12" -storetype PKCS12 -storepass training -keypass training >"$work/keytool.log" 2>&1 \
    || { cat "$work/keytool.log" >&2; exit 1; }
"$java_home/bin/java" -cp "$jar" "$repo/agent/src/bundle/TrainingPeer.java" "$work/training-state" "$work/training-port" \
    "$work/training-peer.p12" training >"$work/training-peer.log" 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    [ -s "$work/training-port" ] && break
    kill -0 $peer 2>/dev/null || { cat "$work/training-peer.log" >&2; exit 1; }
    sleep 0.5
done
[ -s "$work/training-port" ] || { echo "build-bundle: the training peer did not start" >&2; exit 1; }
(
    cd "$stage"
    # shellcheck disable=SC2086
    runtime/bin/java -Xshare:off -XX:DumpLoadedClassList="$work/classes.lst" $flags \
        -cp lib/firstline-agent.jar io.firstline.agent.AgentMain run --console "127.0.0.1:$(cat "$work/training-port")" \
        --state-dir "$work/training-state" --interval 1s >"$work/training.log" 2>&1 &
    agent=$!
    sleep "$training_seconds"
    kill -0 $agent 2>/dev/null || { echo "build-bundle: the training run stopped early:" >&2; cat "$work/training.log" >&2; exit 1; }
    kill $agent
    wait $agent || true
    grep -q 'sun/security/ssl/' "$work/classes.lst" \
        || { echo "build-bundle: the training run made no TLS connection:" >&2; cat "$work/training.log" "$work/training-peer.log" >&2; exit 1; }
    # shellcheck disable=SC2086
    runtime/bin/java -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" \
        -XX:SharedArchiveFile=lib/firstline-agent.jsa $flags -cp lib/firstline-agent.jar >"$work/dump.log" 2>&1 \
        || { cat "$work/dump.log" >&2; exit 1; }
    cksum < lib/firstline-agent.jsa > lib/firstline-agent.jsa.cksum
)
kill $peer 2>/dev/null || true
wait $peer 2>/dev/null || true
trap - EXIT
say "$(wc -l < "$work/classes.lst") classes archived"

# 3. Notices: each bundled library with its licence, from its Maven pom (or
#    the parent pom that declares it), and the licence files the jars ship.
pom_of() { # group artifact version -> path of the pom in the local repository
    echo "$local_repo/$(echo "$1" | tr . /)/$2/$3/$2-$3.pom"
}
licence_of() { # group artifact version -> licence name(s), following parents
    pom=$(pom_of "$1" "$2" "$3")
    depth=0
    while [ -f "$pom" ] && [ $depth -lt 6 ]; do
        names=$(sed -n '/<licenses>/,/<\/licenses>/p' "$pom" | sed -n 's:.*<name>\(.*\)</name>.*:\1:p' | paste -sd ';' -)
        if [ -n "$names" ]; then
            echo "$names"
            return
        fi
        parent=$(sed -n '/<parent>/,/<\/parent>/p' "$pom" | tr -d ' \t\n')
        pg=$(echo "$parent" | sed -n 's:.*<groupId>\([^<]*\)</groupId>.*:\1:p')
        pa=$(echo "$parent" | sed -n 's:.*<artifactId>\([^<]*\)</artifactId>.*:\1:p')
        pv=$(echo "$parent" | sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p')
        [ -n "$pg" ] && [ -n "$pa" ] && [ -n "$pv" ] || break
        pom=$(pom_of "$pg" "$pa" "$pv")
        depth=$((depth + 1))
    done
    echo "see legal/firstline-agent/"
}
notices=$stage/legal/THIRD-PARTY-NOTICES.txt
{
    echo "Firstline agent: third-party software in this archive"
    echo
    echo "lib/firstline-agent.jar bundles these libraries (group:artifact version: licence)."
    echo "Their own licence and notice files are in legal/firstline-agent/; the Java"
    echo "runtime's (OpenJDK, GPLv2 with the Classpath Exception) are in runtime/legal/."
    echo
    # maven-dependency-plugin list: "   group:artifact:jar:version:scope[ -- module ...]"
    grep -E '^ +[^ :]+:[^ :]+:jar:' "$deps" | sed 's/^ *//; s/ .*//' | sort -u | while IFS=: read -r g a _type v _scope; do
        case "$g" in io.firstline) continue ;; esac
        echo "$g:$a $v: $(licence_of "$g" "$a" "$v")"
    done
} > "$notices"
(
    cd "$stage/legal/firstline-agent"
    entries=$("$java_home/bin/jar" tf "$stage/lib/firstline-agent.jar" | grep -iE '^META-INF/([^/]*/)*[^/]*(LICEN[CS]E|NOTICE)[^/]*$' | grep -v '/$' || true)
    if [ -n "$entries" ]; then
        # shellcheck disable=SC2086
        "$java_home/bin/jar" xf "$stage/lib/firstline-agent.jar" $entries
    fi
)
[ "$(grep -c ':' "$notices")" -gt 5 ] || { echo "build-bundle: no libraries found in $deps" >&2; exit 1; }

tar -C "$work" -czf "$archive" firstline-agent
say "$archive: $(du -k "$archive" | cut -f1) KiB ($(du -sk "$stage" | cut -f1) KiB unpacked)"
