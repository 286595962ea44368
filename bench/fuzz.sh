#!/usr/bin/env bash
# Coverage-guided fuzzing of every fuzz target (docs/testing.md, "Fuzzing").
#
#   bench/fuzz.sh [SECONDS_PER_TARGET (default 120)] [FILTER]
#   bench/fuzz.sh --list     the targets, one per line: module class#method corpus-dir
#   bench/fuzz.sh --check    fails unless every target has a committed, non-empty corpus
#
# A target is any method annotated @FuzzTest under */src/test/java; nothing
# else registers it. FILTER (a substring or extended regex) picks targets by
# "class#method". Each target is fuzzed in its own Maven run (JAZZER_FUZZ=1,
# libFuzzer -max_total_time=SECONDS, Jazzer's bug-detector hooks on), one after
# the other; when FIRSTLINE_MVN_LOCK names a lock file (default
# /tmp/firstline-mvn.lock where flock exists), each run holds it, so the lock
# is free between targets.
#
# What each run finds (a failed assertion, an unexpected exception, a
# bug-detector report, a Netty buffer leak, a hang) is saved by Jazzer as
# crash-<sha1> in the target's corpus directory
# (src/test/resources/<package>/<Class>Inputs/<method>/): commit it with the
# fix and ./mvnw verify replays it from then on. The corpus the fuzzer grows
# stays in <module>/.cifuzz-corpus/ (not committed) and seeds the next run.
# Logs and a summary table (markdown) go to target/fuzz/.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# module<TAB>class<TAB>method<TAB>corpus dir, for every @FuzzTest method.
targets() {
    grep -rl --include='*.java' '@FuzzTest' -- */src/test/java 2>/dev/null | sort | while read -r file; do
        module=${file%%/*}
        rel=${file#*/src/test/java/}
        class=${rel%.java}
        class=${class//\//.}
        pkg_dir=$(dirname "$rel")
        simple=$(basename "$rel" .java)
        awk '/@FuzzTest/ { want = 1; next }
             want && match($0, /void[ \t]+[A-Za-z0-9_]+[ \t]*\(/) {
                 m = substr($0, RSTART, RLENGTH); sub(/^void[ \t]+/, "", m); sub(/[ \t]*\($/, "", m); print m; want = 0 }' "$file" |
            while read -r method; do
                printf '%s\t%s\t%s\t%s\n' "$module" "$class" "$method" \
                    "$module/src/test/resources/$pkg_dir/${simple}Inputs/$method"
            done
    done
}

case "${1:-}" in
--list)
    targets | awk -F'\t' '{ printf "%-8s %s#%s  %s\n", $1, $2, $3, $4 }'
    exit 0
    ;;
--check)
    bad=0
    while IFS=$'\t' read -r module class method corpus; do
        if [ -z "$(find "$corpus" -maxdepth 1 -type f 2>/dev/null | head -1)" ]; then
            echo "fuzz target $class#$method has no committed corpus in $corpus (docs/testing.md)" >&2
            bad=1
        fi
    done < <(targets)
    [ "$bad" = 0 ] && echo "fuzz targets: $(targets | wc -l), each with a corpus"
    exit "$bad"
    ;;
esac

seconds=${1:-120}
filter=${2:-}
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "usage: bench/fuzz.sh [SECONDS_PER_TARGET] [FILTER]" >&2; exit 2; }
lock=${FIRSTLINE_MVN_LOCK-/tmp/firstline-mvn.lock}
locked=()
if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then
    locked=(flock "$lock")
fi
out=$root/target/fuzz
mkdir -p "$out"
summary=$out/summary.md
{
    echo "Fuzzing run of $(date -u +%Y-%m-%dT%H:%MZ), $seconds s per target, $(nproc) cores, $(java -version 2>&1 | head -1)"
    echo
    echo "| target | fuzzed | runs | exec/s | cov | ft | corpus | result |"
    echo "|---|---|---|---|---|---|---|---|"
} > "$summary"

failed=0
while IFS=$'\t' read -r module class method corpus; do
    name="${class##*.}#$method"
    if [ -n "$filter" ] && ! [[ "$class#$method" =~ $filter ]]; then
        continue
    fi
    log=$out/${class##*.}.$method.log
    before=$(find "$corpus" -maxdepth 1 -type f -name 'crash-*' 2>/dev/null | sort)
    echo "== $name: fuzzing for $seconds s (log: ${log#$root/})"
    start=$(date +%s)
    # The Maven run is bounded too: the fuzzing time plus ten minutes for building, waiting and a last input.
    JAZZER_FUZZ=1 timeout $((seconds + 600)) "${locked[@]}" ./mvnw -B -ntp ${MVN_ARGS:-} -pl "$module" -am test \
        -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djazzer.hooks=true \
        -Djazzer.internal.arg.0=fuzz \
        -Djazzer.internal.arg.1=-max_total_time="$seconds" \
        -Djazzer.internal.arg.2=-timeout=30 \
        > "$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    # The last libFuzzer status line: "#RUNS DONE cov: N ft: N corp: N/Nb ... exec/s: N ...".
    status=$(grep -aE '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -1)
    runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$status")
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
    corp=$(sed -nE 's/.* corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p' <<<"$status")
    execs=$(sed -nE 's/.* exec\/s: ([0-9]+).*/\1/p' <<<"$status")
    fuzzed=$(sed -nE 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1 s/p' "$log" | tail -1)
    after=$(find "$corpus" -maxdepth 1 -type f -name 'crash-*' 2>/dev/null | sort)
    found=$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')
    leaks=$(grep -ac 'LEAK: ' "$log")
    if [ "$rc" = 0 ] && [ -z "$found" ] && [ "$leaks" = 0 ]; then
        result="no finding"
    else
        failed=1
        result="FINDING"
        [ -n "$found" ] && result="$result: $(echo "$found" | xargs -n1 basename | paste -sd' ')"
        [ "$leaks" != 0 ] && result="$result; $leaks Netty leak report(s)"
        [ "$rc" = 124 ] && result="$result; the Maven run timed out"
        [ "$rc" != 0 ] && [ -z "$found" ] && [ "$leaks" = 0 ] && [ "$rc" != 124 ] && result="$result: build or test failure, see the log"
        # What was thrown, printable and short enough for a table cell.
        exception=$(grep -a -m1 -oE 'FuzzTestFindingException: .*|^== Java Exception: .*' "$log" \
            | sed -E 's/^FuzzTestFindingException: //; s/^== Java Exception: //' | tr -cd '[:print:]' | tr '|' '/' | cut -c1-160)
        [ -n "$exception" ] && result="$result ($exception)"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "${fuzzed:-${elapsed} s wall}" "${runs:--}" \
        "${execs:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$result" >> "$summary"
    echo "   $result (runs ${runs:--}, cov ${cov:--}, ${elapsed} s wall)"
done < <(targets)

echo
cat "$summary"
exit "$failed"
