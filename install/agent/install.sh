#!/bin/sh
# Firstline agent installer: install, upgrade, re-run, uninstall.
#
# The one line the console's admin page shows for a new enrollment token:
#   curl -fsSL http://CONSOLE:8080/install/agent.sh | sudo sh -s -- --url http://CONSOLE:8080 \
#       --console CONSOLE:7443 --ca-fingerprint sha256:... --code fic_...
#
# Usage (as root):
#   install.sh [--url URL] [--archive FILE [--sha256 HEX]] [--console HOST:PORT[,...]]
#              [--ca-fingerprint SHA256] [--code CODE | --token-file FILE|-] [--root DIR] [--no-start]
#   install.sh --uninstall [--purge] [--root DIR]
#
#   --url URL          the console's HTTP address: the archive, its .sha256 and the code exchange come from there
#   --archive FILE     a local firstline-agent-linux-x64.tar.gz instead (checksum: --sha256, or FILE.sha256)
#   --console ...      the console's agent-link address(es) the agent connects to
#   --ca-fingerprint   the console CA's SHA-256 fingerprint: the agent trusts no other console
#   --code CODE        a single-use install code, traded once at URL/install/token for the enrollment token
#   --token-file FILE  the enrollment token from a file, or '-' for stdin (never on the command line)
#   --root DIR         install under DIR instead of / (a scratch root; the system user is still this machine's)
#   --no-start         install and enable, but do not start the service (exit 0)
#   --uninstall        stop and remove the service and the program; keep identity, spool and configuration
#   --purge            with --uninstall: also remove identity, spool, configuration and the 'firstline' user
#
# Layout: /opt/firstline-agent/releases/<sha256 prefix>/ with 'current' pointing at the one in use,
# /etc/firstline/agent.conf and agent.env (0640 root:firstline), /var/lib/firstline-agent (0700 firstline),
# /etc/systemd/system/firstline-agent.service. Running it again with the same archive changes nothing; a new
# archive is an upgrade that keeps identity, spool and configuration, and rolls back if the new agent does
# not start. Bad input (checksum, fingerprint, used or expired token or code, unreachable console, full
# disk) stops it before anything is changed, with one line on stderr and a non-zero exit.
set -eu
umask 022

# Everything is in main, run on the last line: with `curl ... | sh` the shell
# has read the whole script before it does anything, so a cut-off download
# runs nothing and no command can swallow the rest of the script from stdin.
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
    echo "usage: $me [--url URL] [--archive FILE [--sha256 HEX]] [--console HOST:PORT] [--ca-fingerprint SHA256]" >&2
    echo "       [--code CODE | --token-file FILE|-] [--root DIR] [--no-start]    or: $me --uninstall [--purge] [--root DIR]" >&2
    exit 2
}

url='' archive='' sha256='' console='' fingerprint='' code='' token_file='' root='' no_start='' uninstall='' purge=''
need_value() {
    if [ $# -lt 2 ] || [ -z "$2" ]; then
        echo "$me: $1 needs a value" >&2
        usage
    fi
}
while [ $# -gt 0 ]; do
    case $1 in
        --url) need_value "$@"; url=${2%/}; shift 2 ;;
        --archive) need_value "$@"; archive=$2; shift 2 ;;
        --sha256) need_value "$@"; sha256=$2; shift 2 ;;
        --console) need_value "$@"; console=$2; shift 2 ;;
        --ca-fingerprint) need_value "$@"; fingerprint=$2; shift 2 ;;
        --code) need_value "$@"; code=$2; shift 2 ;;
        --token-file) need_value "$@"; token_file=$2; shift 2 ;;
        --token) die "the token is never taken on the command line (other users could read it): use --code, or --token-file FILE or - for stdin" ;;
        --root) need_value "$@"; root=${2%/}; shift 2 ;;
        --no-start) no_start=1; shift ;;
        --uninstall) uninstall=1; shift ;;
        --purge) purge=1; shift ;;
        -h|--help) sed -n '2,30p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "$me: unknown option '$1'" >&2; usage ;;
    esac
done

[ "$(id -u)" = 0 ] || die "run it as root (sudo sh ...)"
if [ -n "$root" ]; then
    [ -d "$root" ] || die "--root $root is not a directory"
    root=$(CDPATH='' cd -- "$root" && pwd)
    [ "$root" = / ] && root=
fi
user=firstline
prefix=$root/opt/firstline-agent
etc=$root/etc/firstline
state=$root/var/lib/firstline-agent
unit_dir=$root/etc/systemd/system
unit=$unit_dir/firstline-agent.service
conf=$etc/agent.conf
envfile=$etc/agent.env

# systemd can run the service only on this machine's own root, and only where it is PID 1.
systemd_up() {
    [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}

tmp=
cleanup() {
    [ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
tmp=$(mktemp -d "${TMPDIR:-/tmp}/firstline-install.XXXXXX") || die "cannot make a temporary directory"

agent_id() {
    cat "$state/agent-id" 2>/dev/null || echo unknown
}

# ---------------------------------------------------------------- uninstall
if [ -n "$uninstall" ]; then
    [ -z "$purge" ] || [ -z "$url$archive$code$token_file" ] || usage
    id=$(agent_id)
    if systemd_up; then
        systemctl disable --now firstline-agent.service >/dev/null 2>&1 || true
    fi
    rm -f "$unit_dir/multi-user.target.wants/firstline-agent.service" "$unit"
    if systemd_up; then
        systemctl daemon-reload >/dev/null 2>&1 || true
    fi
    rm -rf "$prefix"
    if [ -n "$purge" ]; then
        rm -rf "$state" "$conf" "$envfile"
        rmdir "$etc" 2>/dev/null || true
        if [ -z "$root" ] && getent passwd "$user" >/dev/null 2>&1; then
            userdel "$user" >/dev/null 2>&1 || say "could not remove the user '$user'"
        fi
        say "removed the agent, its identity, spool and configuration."
        if [ "$id" != unknown ]; then
            say "revoke agent $id on the console: Admin page, or 'firstline-console agent revoke $id --config /etc/firstline/console.yaml'"
        fi
    else
        say "removed the agent program and service; identity, spool and configuration stay in $state and $etc (--purge removes them)."
    fi
    exit 0
fi

# ------------------------------------------------------- check everything first
for tool in tar gzip sha256sum; do
    command -v $tool >/dev/null 2>&1 || die "$tool is needed"
done
[ -n "$url$archive" ] || die "say where the agent comes from: --url http://CONSOLE:8080 or --archive FILE"
if [ -n "$url" ]; then
    command -v curl >/dev/null 2>&1 || die "curl is needed to reach $url (apt-get install curl)"
    case $url in http://*|https://*) ;; *) die "--url must start with http:// or https://, got '$url'" ;; esac
fi

# fetch PATH OUT: GET URL/PATH into OUT; one line on failure.
fetch() {
    status=$(curl -sS -o "$2" -w '%{http_code}' "$url$1" 2>"$tmp/curl.err") \
        || die "cannot reach the console at $url: $(tail -n 1 "$tmp/curl.err")"
    [ "$status" = 200 ] || die "the console answered $status for $url$1: $(api_error "$2")"
}
api_error() {
    sed -n 's/.*"error" *: *"\([^"]*\)".*/\1/p' "$1" | head -n 1
}

# 1. The archive and its checksum.
if [ -n "$archive" ]; then
    [ -f "$archive" ] || die "no archive at $archive"
    if [ -z "$sha256" ] && [ -f "$archive.sha256" ]; then
        sha256=$(cut -d ' ' -f 1 < "$archive.sha256")
    fi
    [ -n "$sha256" ] || die "no checksum for $archive: give --sha256 HEX or put $archive.sha256 beside it"
    cp "$archive" "$tmp/agent.tar.gz" 2>"$tmp/cp.err" || die "cannot copy $archive: $(tail -n 1 "$tmp/cp.err")"
else
    fetch /install/firstline-agent-linux-x64.tar.gz.sha256 "$tmp/agent.sha256"
    [ -n "$sha256" ] || sha256=$(cut -d ' ' -f 1 < "$tmp/agent.sha256")
    fetch /install/firstline-agent-linux-x64.tar.gz "$tmp/agent.tar.gz"
fi
sha256=$(printf '%s' "$sha256" | tr 'A-F' 'a-f')
case $sha256 in *[!0-9a-f]*|'') die "the checksum '$sha256' is not a SHA-256 in hex" ;; esac
[ ${#sha256} -eq 64 ] || die "the checksum '$sha256' is not a SHA-256 in hex (64 digits)"
actual=$(sha256sum "$tmp/agent.tar.gz" | cut -d ' ' -f 1)
[ "$actual" = "$sha256" ] || die "checksum mismatch: the archive's SHA-256 is $actual, expected $sha256; nothing was changed"
release=$(printf '%s' "$sha256" | cut -c 1-12)

# 2. Unpack and try the new agent (a damaged or foreign archive, a full disk stop here).
mkdir "$tmp/unpack"
tar -xzf "$tmp/agent.tar.gz" -C "$tmp/unpack" 2>"$tmp/tar.err" || die "cannot unpack the archive: $(tail -n 1 "$tmp/tar.err")"
rm -f "$tmp/agent.tar.gz"
new=$tmp/unpack/firstline-agent
[ -x "$new/bin/firstline-agent" ] || die "the archive has no firstline-agent/bin/firstline-agent: not a Firstline agent archive"
version=$("$new/bin/firstline-agent" --version </dev/null 2>"$tmp/run.err") \
    || die "the new agent does not start: $(tail -n 1 "$tmp/run.err")"
version=$(printf '%s\n' "$version" | head -n 1)
[ -n "$version" ] || die "the new agent does not start: it printed no version"

# 3. Enrollment, for a machine not enrolled yet: into a scratch state directory first.
enrolled=
[ -f "$state/agent.crt" ] && [ -f "$state/agent.key" ] && enrolled=1
if [ -n "$enrolled" ]; then
    [ -z "$code$token_file" ] || say "already enrolled as agent $(agent_id); the token was not used"
else
    [ -n "$console" ] || die "this machine is not enrolled yet: give --console HOST:7443"
    [ -n "$fingerprint" ] || die "this machine is not enrolled yet: give --ca-fingerprint (from the console's admin page)"
    ( umask 077; : > "$tmp/token" )
    if [ -n "$code" ]; then
        [ -n "$url" ] || die "--code needs --url (the console that issued it)"
        printf '%s' "$code" > "$tmp/code"
        status=$(curl -sS -o "$tmp/token" -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary @"$tmp/code" \
            "$url/install/token" 2>"$tmp/curl.err") || die "cannot reach the console at $url: $(tail -n 1 "$tmp/curl.err")"
        [ "$status" = 200 ] || die "the install code was refused ($status): $(api_error "$tmp/token")"
    elif [ "$token_file" = - ]; then
        head -c 4096 > "$tmp/token"
    elif [ -n "$token_file" ]; then
        [ -r "$token_file" ] || die "cannot read the token file $token_file"
        head -c 4096 "$token_file" > "$tmp/token"
    else
        die "this machine is not enrolled yet: give --code CODE, or --token-file FILE (or - for stdin)"
    fi
    [ -s "$tmp/token" ] || die "the enrollment token is empty"
    mkdir -m 700 "$tmp/state"
    "$new/bin/firstline-agent" enroll --console "$console" --ca-fingerprint "$fingerprint" --token-file "$tmp/token" \
        --state-dir "$tmp/state" </dev/null >"$tmp/enroll.out" 2>"$tmp/enroll.err" \
        || { rm -f "$tmp/token"; die "enrollment failed: $(tail -n 1 "$tmp/enroll.err" | sed 's/^firstline-agent enroll: //; s/^enrollment failed: //')"; }
    rm -f "$tmp/token" "$tmp/code"
fi

# ------------------------------------------------------------- now change things
changed=

# The system user: no shell, no home.
if ! getent passwd "$user" >/dev/null 2>&1; then
    getent group "$user" >/dev/null 2>&1 || groupadd --system "$user"
    useradd --system --gid "$user" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
        --comment "Firstline agent" "$user"
    say "made the system user '$user'"
fi

# The program: one directory per archive, 'current' pointing at the one in use.
mkdir -p "$prefix/releases"
if [ ! -d "$prefix/releases/$release" ]; then
    rm -rf "$prefix/releases/.$release.new"
    mv "$new" "$prefix/releases/.$release.new"
    mv "$prefix/releases/.$release.new" "$prefix/releases/$release"
    changed=1
fi
previous=$(readlink "$prefix/current" 2>/dev/null || true)

# Configuration: written once, kept on upgrades; agent.env follows --console.
mkdir -p "$etc"
if [ ! -f "$conf" ]; then
    cat > "$conf" <<'EOF'
# Firstline agent configuration (docs/collectors.md): key = value lines.
# collectors.enable = sensors
# collectors.disable = power
# collector.processes.interval = 30s
# connectivity.dns = example.com
EOF
    changed=1
fi
if [ -n "$console" ]; then
    printf 'FIRSTLINE_CONSOLE=%s\n' "$console" > "$tmp/agent.env"
    if ! cmp -s "$tmp/agent.env" "$envfile"; then
        cp "$tmp/agent.env" "$envfile"
        changed=1
    fi
fi
[ -f "$envfile" ] || die "no console address in $envfile: give --console HOST:7443"
for f in "$conf" "$envfile"; do
    [ "$(stat -c '%a %U %G' "$f")" = "640 root $user" ] || { chown "root:$user" "$f"; chmod 0640 "$f"; }
done

# Identity and spool: kept across upgrades; a new enrollment moves in whole.
if [ -z "$enrolled" ]; then
    mkdir -p "$state"
    cp -pR "$tmp/state/." "$state/"
    changed=1
fi
mkdir -p "$state"
[ "$(stat -c '%a %U %G' "$state")" = "700 $user $user" ] || { chown -R "$user:$user" "$state"; chmod 0700 "$state"; }

# The unit (the same text as install/agent/firstline-agent.service; a test keeps them equal).
mkdir -p "$unit_dir"
cat > "$tmp/unit" <<'UNIT'
# firstline-agent.service: the Firstline agent as a hardened system service.
# Installed by install/agent/install.sh or the firstline-agent Debian package
# to /etc/systemd/system (script) or /lib/systemd/system (package).
# Exposure: `systemd-analyze security firstline-agent.service` (the README
# lists the score; UnitHardeningTest holds it at 3.0 or less).
[Unit]
Description=Firstline agent (endpoint health for the Firstline console)
Documentation=man:systemd.exec(5)
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=firstline
Group=firstline
# FIRSTLINE_CONSOLE=host:7443[,host:7443...], written by the installer.
EnvironmentFile=/etc/firstline/agent.env
ExecStart=/opt/firstline-agent/current/bin/firstline-agent run --console ${FIRSTLINE_CONSOLE} --config /etc/firstline/agent.conf --state-dir /var/lib/firstline-agent --local-socket /run/firstline-agent/agent.sock
Restart=on-failure
RestartSec=5s
TimeoutStopSec=20s

# Identity (key, certificate) and the spool: /var/lib/firstline-agent, 0700.
StateDirectory=firstline-agent
StateDirectoryMode=0700
# The user's report socket (firstline-agent report/status): every local user
# must be able to reach /run/firstline-agent/agent.sock, so this one
# directory is 0755; the socket's own mode says who may connect.
RuntimeDirectory=firstline-agent
RuntimeDirectoryMode=0755
UMask=0077

# Extra permissions, each for one feature:
#  CAP_SYSLOG           read /dev/kmsg: kernel events (I/O errors, OOM kills,
#                       read-only remounts) reach the console within a second.
#  CAP_DAC_READ_SEARCH  read /proc/PID/io and /proc/PID/fd of other users'
#                       processes (top processes) and files only root may read.
#  CAP_NET_RAW          ICMP ping and packet capture for safe diagnostics.
CapabilityBoundingSet=CAP_SYSLOG CAP_DAC_READ_SEARCH CAP_NET_RAW
AmbientCapabilities=CAP_SYSLOG CAP_DAC_READ_SEARCH CAP_NET_RAW
NoNewPrivileges=yes
#  /dev/kmsg is the only device the agent opens (besides the standard
#  pseudo-devices /dev/null, /dev/urandom ... that DevicePolicy=closed keeps).
DevicePolicy=closed
DeviceAllow=/dev/kmsg r
#  ProtectKernelLogs=yes would hide /dev/kmsg, which kernel events read.
ProtectKernelLogs=no
#  AF_NETLINK: link up/down events (LinkWatcher) and the routing table;
#  AF_PACKET: packet capture for diagnostics; AF_UNIX: the report socket and
#  systemctl (failed units).
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET

ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
KeyringMode=private
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
SystemCallErrorNumber=EPERM
# Not MemoryDenyWriteExecute=yes: the JVM's JIT writes and runs code.

[Install]
WantedBy=multi-user.target
UNIT
unit_changed=
if ! cmp -s "$tmp/unit" "$unit"; then
    cp "$tmp/unit" "$unit"
    chmod 0644 "$unit"
    unit_changed=1
    changed=1
fi
# Enabled: the link systemctl enable makes (made by hand where systemctl cannot run here).
if [ ! -L "$unit_dir/multi-user.target.wants/firstline-agent.service" ]; then
    mkdir -p "$unit_dir/multi-user.target.wants"
    ln -s /etc/systemd/system/firstline-agent.service "$unit_dir/multi-user.target.wants/firstline-agent.service"
    changed=1
fi

# Switch to the new release.
if [ "$previous" != "releases/$release" ]; then
    ln -sfn "releases/$release" "$prefix/.current.new"
    mv -T "$prefix/.current.new" "$prefix/current"
    changed=1
fi

# restore: go back to the previous release after a failed start.
restore() {
    if [ -n "$previous" ] && [ -d "$prefix/$previous" ]; then
        ln -sfn "$previous" "$prefix/.current.new"
        mv -T "$prefix/.current.new" "$prefix/current"
        systemctl restart firstline-agent.service >/dev/null 2>&1 || true
        die "the new agent ($version) did not start (systemctl status firstline-agent); restored ${previous#releases/}"
    fi
    die "the agent did not start: see 'systemctl status firstline-agent' and 'journalctl -u firstline-agent'"
}

# Releases other than the current and the previous one go.
for dir in "$prefix"/releases/*; do
    [ -d "$dir" ] || continue
    case "releases/${dir##*/}" in "releases/$release"|"$previous") ;; *) rm -rf "$dir"; changed=1 ;; esac
done

if [ -z "$changed" ]; then
    say "$version is already installed as asked (agent $(agent_id)); nothing changed"
elif [ -n "$no_start" ]; then
    say "installed $version in $prefix (agent $(agent_id)); not started (--no-start)"
fi
[ -z "$no_start" ] || exit 0
if ! systemd_up; then
    if [ -n "$root" ]; then
        say "installed $version under $root (agent $(agent_id)); a service under --root is not started"
    else
        say "installed $version (agent $(agent_id)), but systemd is not running here (PID 1 is $(cat /proc/1/comm 2>/dev/null || echo unknown)), so the service could not be started; use --no-start to expect this"
    fi
    exit 1
fi
[ -z "$unit_changed" ] || systemctl daemon-reload
if [ -n "$changed" ] || ! systemctl is-active --quiet firstline-agent.service; then
    systemctl restart firstline-agent.service || restore
    # Up and still up a few seconds later (a bad configuration exits at once, then restarts).
    sleep 5
    systemctl is-active --quiet firstline-agent.service || restore
fi
say "firstline-agent $version is running as agent $(agent_id) (systemctl status firstline-agent)"
}

main "$@"
