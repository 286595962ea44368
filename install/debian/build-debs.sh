#!/bin/sh
# Builds the Debian packages firstline-agent and firstline-console with dpkg-deb from a
# source tree after ./mvnw package:
#   install/debian/build-debs.sh [OUTDIR]        (default: target/debian)
# The packages lay files out as the install scripts do (/opt/firstline-agent with
# releases/deb and 'current', /opt/firstline-console), put the units in /lib/systemd/system,
# and their maintainer scripts (install/debian/agent, install/debian/console) make the users,
# the private directories and the configuration as the install scripts do.
#   sudo apt install ./firstline-console_VERSION_amd64.deb ./firstline-agent_VERSION_amd64.deb
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
src=$(dirname -- "$(dirname -- "$here")")
out=${1:-$src/target/debian}
jar=$src/console/target/firstline-console.jar
archive=$src/agent/target/firstline-agent-linux-x64.tar.gz
die() {
    echo "build-debs.sh: $*" >&2
    exit 1
}
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is needed (Debian package dpkg)"
if [ ! -f "$jar" ] || [ ! -f "$archive" ]; then
    die "build first: ./mvnw -DskipTests package (needs $jar and $archive)"
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT (a snapshot sorts before its release)
version=$("$java" -jar "$jar" --version | sed -n 's/^firstline-console //p' | tr '-' '~')
[ -n "$version" ] || die "cannot read the version from $jar"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# control PKG DIR DESCRIPTION DEPENDS: the control file and maintainer scripts of one package.
control() {
    mkdir -p "$2/DEBIAN"
    size=$(du -sk "$2" | cut -f 1)
    {
        echo "Package: $1"
        echo "Version: $version"
        echo "Architecture: amd64"
        echo "Maintainer: Firstline <firstline@localhost>"
        echo "Installed-Size: $size"
        echo "Depends: $4"
        echo "Section: admin"
        echo "Priority: optional"
        echo "Description: $3"
    } > "$2/DEBIAN/control"
    for s in postinst prerm postrm; do
        cp "$here/${1#firstline-}/$s" "$2/DEBIAN/$s"
        chmod 0755 "$2/DEBIAN/$s"
    done
}

# firstline-agent: the archive as it is, as release 'deb'.
a=$work/agent
mkdir -p "$a/opt/firstline-agent/releases" "$a/lib/systemd/system"
tar -xzf "$archive" -C "$a/opt/firstline-agent/releases"
mv "$a/opt/firstline-agent/releases/firstline-agent" "$a/opt/firstline-agent/releases/deb"
ln -s releases/deb "$a/opt/firstline-agent/current"
cp "$src/install/agent/agent.conf" "$a/opt/firstline-agent/agent.conf.default"
cp "$src/install/agent/firstline-agent.service" "$a/lib/systemd/system/"
control firstline-agent "$a" "Firstline agent: endpoint health for the Firstline console
 Collects hardware, OS and network health, detects faults and streams them to
 the Firstline console over mutual TLS. Self-contained: carries its own
 trimmed Java runtime. Runs as the unprivileged user 'firstline' under a
 hardened systemd unit." "passwd"

# firstline-console: the jar, its launcher, the agent archive it serves, the unit.
c=$work/console
mkdir -p "$c/opt/firstline-console/bin" "$c/opt/firstline-console/lib" "$c/opt/firstline-console/agent" "$c/lib/systemd/system"
cp -p "$jar" "$c/opt/firstline-console/lib/"
cp "$src/install/console/firstline-console" "$c/opt/firstline-console/bin/"
cp -p "$archive" "$c/opt/firstline-console/agent/"
cp "$src/install/console/console.yaml" "$c/opt/firstline-console/console.yaml.default"
cp "$src/install/console/firstline-console.service" "$c/lib/systemd/system/"
control firstline-console "$c" "Firstline console: fleet view, tickets and API for Firstline agents
 Receives agent streams, detects faults, opens and follows tickets, serves the
 web console, the HTTP API and Prometheus metrics, and hands out the agent
 install. Runs as the unprivileged user 'firstline-console' under a hardened
 systemd unit." "default-jre-headless (>= 2:1.17) | java17-runtime-headless, passwd"

for p in agent console; do
    find "$work/$p" -path "$work/$p/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
    # gzip: quick to build, and most of each package (the agent archive, the jar) is compressed already.
    dpkg-deb --root-owner-group -Zgzip --build "$work/$p" "$out/firstline-${p}_${version}_amd64.deb" >/dev/null
    echo "$out/firstline-${p}_${version}_amd64.deb"
done
