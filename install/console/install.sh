#!/bin/sh
# Firstline console installer: install, upgrade, re-run, uninstall.
#
# Usage (as root, from a source tree after ./mvnw package, or with the files named):
#   install/console/install.sh [--jar FILE] [--agent-archive FILE] [--root DIR] [--no-start]
#   install/console/install.sh --uninstall [--purge] [--root DIR]
#
#   --jar FILE            firstline-console.jar (default: console/target/ of this source tree)
#   --agent-archive FILE  the agent archive the console serves at /install/... (default: agent/target/)
#   --root DIR            install under DIR instead of / (the system user is still this machine's)
#   --no-start            install and enable, but do not start the service (exit 0)
#   --uninstall           stop and remove the service and the program; keep data and configuration
#   --purge               with --uninstall: also remove /var/lib/firstline-console, console.yaml and the user
#
# Layout: /opt/firstline-console/{bin/firstline-console,lib/firstline-console.jar,agent/firstline-agent-linux-x64.tar.gz},
# /etc/firstline/console.yaml (0640 root:firstline-console), /var/lib/firstline-console (0700, the store, CA,
# tokens and admin login, all 0600), /etc/systemd/system/firstline-console.service. Running it again changes
# nothing; a new jar is an upgrade that keeps data and configuration and goes back to the previous jar if
# the new console does not start.
set -eu
umask 022

main() {
me=install.sh
die() {
    echo "$me: $*" >&2
    exit 1
}
say() {
    echo "$me: $*"
}
usage() {
    echo "usage: $me [--jar FILE] [--agent-archive FILE] [--root DIR] [--no-start]    or: $me --uninstall [--purge] [--root DIR]" >&2
    exit 2
}
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
src=$(dirname -- "$(dirname -- "$here")")
jar='' archive='' root='' no_start='' uninstall='' purge=''
while [ $# -gt 0 ]; do
    case $1 in
        --jar) [ $# -ge 2 ] || usage; jar=$2; shift 2 ;;
        --agent-archive) [ $# -ge 2 ] || usage; archive=$2; shift 2 ;;
        --root) [ $# -ge 2 ] || usage; root=${2%/}; shift 2 ;;
        --no-start) no_start=1; shift ;;
        --uninstall) uninstall=1; shift ;;
        --purge) purge=1; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "$me: unknown option '$1'" >&2; usage ;;
    esac
done
[ "$(id -u)" = 0 ] || die "run it as root (sudo ...)"
if [ -n "$root" ]; then
    [ -d "$root" ] || die "--root $root is not a directory"
    root=$(CDPATH='' cd -- "$root" && pwd)
    [ "$root" = / ] && root=''
fi
user=firstline-console
prefix=$root/opt/firstline-console
etc=$root/etc/firstline
conf=$etc/console.yaml
data=$root/var/lib/firstline-console
unit_dir=$root/etc/systemd/system
unit=$unit_dir/firstline-console.service
systemd_up() {
    [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

if [ -n "$uninstall" ]; then
    if systemd_up; then
        systemctl disable --now firstline-console.service >/dev/null 2>&1 || true
    fi
    rm -f "$unit_dir/multi-user.target.wants/firstline-console.service" "$unit"
    if systemd_up; then
        systemctl daemon-reload >/dev/null 2>&1 || true
    fi
    rm -rf "$prefix"
    if [ -n "$purge" ]; then
        rm -rf "$data" "$conf" "$etc/console.env"
        rmdir "$etc" 2>/dev/null || true
        if [ -z "$root" ] && getent passwd "$user" >/dev/null 2>&1; then
            userdel "$user" >/dev/null 2>&1 || say "could not remove the user '$user'"
        fi
        say "removed the console, its data and configuration."
    else
        say "removed the console program and service; data and configuration stay in $data and $etc (--purge removes them)."
    fi
    exit 0
fi

# ------------------------------------------------------- check everything first
[ -n "$jar" ] || jar=$src/console/target/firstline-console.jar
[ -n "$archive" ] || archive=$src/agent/target/firstline-agent-linux-x64.tar.gz
[ -f "$jar" ] || die "no console jar at $jar: build it with ./mvnw package, or give --jar FILE"
if [ ! -f "$here/firstline-console.service" ] || [ ! -f "$here/firstline-console" ] || [ ! -f "$here/console.yaml" ]; then
    die "run the install/console/install.sh of a source tree or package: firstline-console.service is not beside it"
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$java" >/dev/null 2>&1 || die "Java 17 or later is needed (apt-get install openjdk-17-jre-headless)"
version=$("$java" -jar "$jar" --version </dev/null 2>/dev/null | head -n 1) \
    || die "the console jar does not start with $java (Java 17 or later is needed): $("$java" -jar "$jar" --version </dev/null 2>&1 | tail -n 1)"
if [ -f "$archive" ]; then
    gzip -t "$archive" 2>/dev/null || die "the agent archive $archive is damaged"
else
    say "no agent archive at $archive: the console will not serve the one-line agent install (give --agent-archive FILE)"
    archive=''
fi

# ------------------------------------------------------------- now change things
changed=''
# copy_if FROM TO MODE: install a file only when its content differs.
copy_if() {
    if ! cmp -s "$1" "$2"; then
        mkdir -p "$(dirname -- "$2")"
        [ ! -f "$2" ] || [ "${4:-}" != keep ] || cp -p "$2" "$2.previous"
        cp "$1" "$2.new"
        chmod "$3" "$2.new"
        touch -r "$1" "$2.new"
        mv -f "$2.new" "$2"
        changed=1
    fi
}
if ! getent passwd "$user" >/dev/null 2>&1; then
    getent group "$user" >/dev/null 2>&1 || groupadd --system "$user"
    useradd --system --gid "$user" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
        --comment "Firstline console" "$user"
    say "made the system user '$user'"
fi
copy_if "$jar" "$prefix/lib/firstline-console.jar" 0644 keep
jar_changed=$changed
copy_if "$here/firstline-console" "$prefix/bin/firstline-console" 0755
[ -z "$archive" ] || copy_if "$archive" "$prefix/agent/firstline-agent-linux-x64.tar.gz" 0644
mkdir -p "$etc"
if [ ! -f "$conf" ]; then
    cp "$here/console.yaml" "$conf"
    changed=1
fi
[ "$(stat -c '%a %U %G' "$conf")" = "640 root $user" ] || { chown "root:$user" "$conf"; chmod 0640 "$conf"; changed=1; }
# The store, CA, tokens and admin login: the console's user only (the console keeps files 0600 inside).
mkdir -p "$data"
[ "$(stat -c '%a %U %G' "$data")" = "700 $user $user" ] || { chown -R "$user:$user" "$data"; chmod 0700 "$data"; changed=1; }
copy_if "$here/firstline-console.service" "$unit" 0644
if [ ! -L "$unit_dir/multi-user.target.wants/firstline-console.service" ]; then
    mkdir -p "$unit_dir/multi-user.target.wants"
    ln -s /etc/systemd/system/firstline-console.service "$unit_dir/multi-user.target.wants/firstline-console.service"
    changed=1
fi
[ -n "$changed" ] || say "$version is already installed as asked; nothing changed"

if [ -n "$no_start" ]; then
    say "installed $version in $prefix; not started (--no-start)"
    exit 0
fi
if ! systemd_up; then
    if [ -n "$root" ]; then
        say "installed $version under $root; a service under --root is not started"
    else
        say "installed $version, but systemd is not running here (PID 1 is $(cat /proc/1/comm 2>/dev/null || echo unknown)), so the service could not be started; use --no-start to expect this"
    fi
    exit 1
fi
systemctl daemon-reload
if [ -n "$changed" ] || ! systemctl is-active --quiet firstline-console.service; then
    if ! systemctl restart firstline-console.service || ! { sleep 10; systemctl is-active --quiet firstline-console.service; }; then
        if [ -n "$jar_changed" ] && [ -f "$prefix/lib/firstline-console.jar.previous" ]; then
            mv -f "$prefix/lib/firstline-console.jar.previous" "$prefix/lib/firstline-console.jar"
            systemctl restart firstline-console.service || true
            die "the new console did not start (journalctl -u firstline-console); restored the previous jar"
        fi
        die "the console did not start: see 'journalctl -u firstline-console'"
    fi
fi
say "$version is running (systemctl status firstline-console); the first admin password is in $data/initial-admin-password"
}

main "$@"
