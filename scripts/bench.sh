#!/usr/bin/env bash
# End-to-end speed and memory of bitsdiag against peer EVTX tools, side by side on one file.
#
#   scripts/bench.sh [MIB]        (default 1024)
#
# Builds a large System log from the real chunks of ../shared/evtx-corpus/system with
# ../shared/tools/evtx_synth.py, builds the peers with ../shared/tools/build-peers.sh
# (libevtx evtxexport, golang-evtx's evtxdump), then times with hyperfine:
#   cat FILE > /dev/null                 (reading from page cache: the floor)
#   bitsdiag report -f json FILE         (the pre-filter path: what support engineers run)
#   bitsdiag events --all FILE           (full decoding of every record)
#   evtxexport FILE, golang-evtx-dump FILE
# and measures peak RSS with /usr/bin/time -v. Results go to $OUT (default /tmp/bitsdiag-bench).
# Needs: python3, hyperfine, GNU time (apt-get install -y hyperfine time).
# BENCH_FILE=FILE benchmarks that file instead (e.g. the sample generator's big log:
#   go run ./samples/gen -big /tmp/gen.evtx -size 1024).
# Runs: RUNS (bitsdiag and cat, default 5), PEER_RUNS (peers, default 1).
set -euo pipefail
mib=${1:-1024}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
out=${OUT:-/tmp/bitsdiag-bench}
mkdir -p "$out"
file=${BENCH_FILE:-$out/system-${mib}m.evtx}
[ -s "$file" ] || python3 "$shared/tools/evtx_synth.py" "$file" "$mib" "$shared"/evtx-corpus/system/*.evtx
[ -x "$out/peers/golang-evtx-dump" ] || bash "$shared/tools/build-peers.sh" "$out/peers"
(cd "$root" && go build -o "$out/bitsdiag" ./cmd/bitsdiag)
size=$(stat -L -c %s "$file")
records=$("$out/bitsdiag" events --all "$file" 2>/dev/null | wc -l)
echo "file: $file ($size bytes, $records records)"
cat "$file" > /dev/null # warm the page cache
# bitsdiag and cat: several runs; the peers take minutes per run on a big file: PEER_RUNS (default 1).
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$out/fast.json" \
  -n cat "cat $file > /dev/null" \
  -n bitsdiag-report "$out/bitsdiag report -q -f json $file > /dev/null" \
  -n bitsdiag-events-all "$out/bitsdiag events --all $file > /dev/null 2>&1"
hyperfine --runs "${PEER_RUNS:-1}" --export-json "$out/peers.json" \
  -n evtxexport "$out/peers/evtxexport $file > /dev/null 2>&1" \
  -n golang-evtx-dump "$out/peers/golang-evtx-dump $file > /dev/null 2>&1"
echo
echo "peak RSS (KiB):"
for cmd in "bitsdiag report -q -f json" "bitsdiag events --all"; do
  rss=$(/usr/bin/time -f %M "$out/"$cmd "$file" 2>&1 >/dev/null | tail -1)
  echo "  $cmd: $rss"
done
for peer in evtxexport golang-evtx-dump; do
  rss=$(/usr/bin/time -f %M "$out/peers/$peer" "$file" 2>&1 >/dev/null | tail -1)
  echo "  $peer: $rss"
done
python3 - "$out/fast.json" "$out/peers.json" "$size" "$records" <<'PY'
import json, sys
res = {}
for f in sys.argv[1:3]:
    res.update({r["command"]: r["mean"] for r in json.load(open(f))["results"]})
size, recs = int(sys.argv[3]), int(sys.argv[4])
print("\nthroughput (mean of runs):")
for name, t in res.items():
    print(f"  {name:22s} {t:8.3f} s  {size/t/1e6:9.1f} MB/s  {recs/t/1e3:9.1f} k records/s")
print("\nratios:")
rep, full = res["bitsdiag-report"], res["bitsdiag-events-all"]
for peer in ("evtxexport", "golang-evtx-dump"):
    print(f"  report is {res[peer]/rep:6.1f}x faster than {peer}; events --all is {res[peer]/full:5.2f}x")
print(f"  report takes {rep/res['cat']:5.1f}x the time of cat")
PY
