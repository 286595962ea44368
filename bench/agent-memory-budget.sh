#!/usr/bin/env bash
# Where a running agent's resident memory goes (docs/benchmarks.md, "Agent
# memory budget"). Give it the PID of an agent started with
# FIRSTLINE_JAVA_OPTS=-XX:NativeMemoryTracking=summary (NMT costs a little
# memory itself, so measure the RSS bar without it):
#
#   bench/agent-memory-budget.sh PID
#
# Prints: the kernel's RSS split (anonymous / file; RSS and PSS, clean and
# dirty), the RSS of each kind of
# mapping (pmap), Native Memory Tracking's committed memory per JVM area,
# metaspace and class counts, the Java objects of Netty, TLS and the rest
# (a class histogram, which runs a full GC), and every thread by name.
# Uses jcmd from JAVA_HOME (default: the system JDK); the agent archive's
# runtime has no jcmd on purpose.
set -euo pipefail
pid=${1:?usage: agent-memory-budget.sh PID}
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd

echo "== /proc/$pid/status"
grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|Threads):' "/proc/$pid/status"

echo "== RSS and PSS (/proc/$pid/smaps_rollup): what is private, what is clean page cache"
grep -E '^(Rss|Pss|Pss_Anon|Pss_File|Shared_Clean|Private_Clean|Private_Dirty):' "/proc/$pid/smaps_rollup"

echo "== RSS by mapping (pmap -x), KiB"
pmap -x "$pid" | awk 'NR > 2 && $1 ~ /^[0-9a-f]+$/ {
        name = $NF; if (NF < 6 || name == "" || name == "]") name = "[anon]"  # pmap -x prints "[ anon ]"
        if (name ~ /\.jsa$/) kind = "class-data archive " name
        else if (name ~ /libjvm\.so/) kind = "libjvm.so"
        else if (name ~ /\.so/) kind = "other shared libraries"
        else if (name ~ /modules$/) kind = "runtime modules image"
        else if (name ~ /\.jar$/) kind = "jar files"
        else if (name ~ /anon|stack/) kind = "anonymous (heap, metaspace, stacks, malloc, code cache)"
        else kind = name
        rss[kind] += $3
    } END { for (k in rss) printf "%8d  %s\n", rss[k], k }' | sort -rn

echo "== Native Memory Tracking (committed)"
"$jcmd" "$pid" VM.native_memory summary | grep -E '^(Total|-? *[A-Z][A-Za-z ]+ \(reserved)|^-' | sed 's/^ *//' | grep -E 'committed' \
    | sed -E 's/^-? *([A-Za-z ]+) \(reserved=[0-9]+KB, committed=([0-9]+)KB\).*/\2 KiB  \1/; s/^Total: reserved=[0-9]+KB, committed=([0-9]+)KB.*/\1 KiB  Total/'

echo "== Metaspace and classes"
"$jcmd" "$pid" VM.metaspace | grep -E 'Total Usage|^ *Both: .*committed' | head -2 || true

echo "== Java heap by owner (live objects after a full GC), KiB"
"$jcmd" "$pid" GC.class_histogram | awk '$1 ~ /^[0-9]+:$/ {
        c = $4; b = $3
        if (c ~ /^io\.netty\./) k = "Netty"
        else if (c ~ /^(sun\.security\.ssl|javax\.net\.ssl|sun\.security\.(ec|x509|util|provider)|java\.security)/) k = "TLS and certificates"
        else if (c ~ /^(oshi|com\.sun\.jna)\./) k = "OSHI and JNA"
        else if (c ~ /^com\.google\.protobuf/) k = "protobuf"
        else if (c ~ /^io\.firstline\./) k = "Firstline"
        else k = "JDK and other (strings, arrays, classes)"
        heap[k] += b
    } END { for (k in heap) printf "%8d  %s\n", heap[k] / 1024, k }' | sort -rn

echo "== Threads"
for t in /proc/"$pid"/task/*; do cat "$t/comm"; done | sort | uniq -c | sort -rn
