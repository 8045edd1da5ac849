#!/usr/bin/env bash
# End-to-end speed and memory of bitsdiag against cat, sha256sum and peer EVTX tools, in one run.
#
#   scripts/bench.sh
#
# Inputs (built once into $OUT, default /tmp/bitsdiag-bench, from ../shared):
#   sys1g     a System log of SYS_MIB MiB (default 1024) from the corpus' real System chunks
#             (../shared/tools/evtx_synth.py);
#   bits256   a BITS-heavy log of BITS_MIB MiB (default 256) from the corpus' Bits-Client chunks;
#   folder    FILES (default 2000) copies of the corpus' System, Bits-Client and Windows Update logs;
#   zip       that folder as one zip (deflate).
# Tools: cat (reading from the page cache: the floor), sha256sum (the folder), bitsdiag report -q -f json,
# bitsdiag events --all, and the peers built by ../shared/tools/build-peers.sh (libevtx evtxexport,
# golang-evtx's evtxdump) on the two big logs. BASELINE=PATH also times another bitsdiag binary (e.g. the
# previous release) as "baseline". Times: hyperfine, warm cache, mean of RUNS runs (default 3; peers
# PEER_RUNS, default 1: they take minutes on 1 GiB). Peak RSS: GNU time, one run.
# Prints a Markdown table: tool, input, wall, MB/s, x cat, x each peer (>1: bitsdiag is faster), peak RSS.
# Paths must not be symbolic links (bitsdiag does not follow them into folders).
# Needs: python3, hyperfine, GNU time, zip (apt-get install -y hyperfine time zip).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
out=${OUT:-/tmp/bitsdiag-bench}
runs=${RUNS:-3}
peer_runs=${PEER_RUNS:-1}
mkdir -p "$out"
corpus=$shared/evtx-corpus
sys=$out/system-${SYS_MIB:-1024}m.evtx
bits=$out/bits-${BITS_MIB:-256}m.evtx
folder=$out/folder-${FILES:-2000}
zipf=$folder.zip
[ -s "$sys" ] || python3 "$shared/tools/evtx_synth.py" "$sys" "${SYS_MIB:-1024}" "$corpus"/system/*.evtx
[ -s "$bits" ] || python3 "$shared/tools/evtx_synth.py" "$bits" "${BITS_MIB:-256}" "$corpus"/bits/*.evtx
if [ ! -d "$folder" ]; then
  mkdir -p "$folder.tmp"
  srcs=("$corpus"/system/*.evtx "$corpus"/bits/*.evtx "$corpus"/wu/*.evtx)
  for ((i = 0; i < ${FILES:-2000}; i++)); do
    f=${srcs[$((i % ${#srcs[@]}))]}
    cp "$f" "$folder.tmp/$(printf %04d $i)-$(basename "$f")"
  done
  mv "$folder.tmp" "$folder"
fi
[ -s "$zipf" ] || (cd "$(dirname "$folder")" && zip -q -r "$zipf" "$(basename "$folder")")
[ -x "$out/peers/golang-evtx-dump" ] || bash "$shared/tools/build-peers.sh" "$out/peers"
(cd "$root" && go build -o "$out/bitsdiag" ./cmd/bitsdiag)
bd=$out/bitsdiag
res=$out/results
mkdir -p "$res"
[ -n "${ONLY:-}" ] || : > "$res/rss.tsv"

# time NAME INPUT RUNS COMMAND: mean wall time into $res/NAME@INPUT.json, peak RSS into rss.tsv.
# With one run (the peers), that run gives both the time and the peak RSS.
time_cmd() {
  local name=$1 input=$2 n=$3 cmd=$4 rss
  echo "  $name on $input" >&2
  if [ "$n" -le 1 ]; then
    read -r wall rss < <(/usr/bin/time -f '%e %M' sh -c "$cmd > /dev/null 2>&1" 2>&1 | tail -1)
    printf '{"results":[{"mean":%s}]}\n' "$wall" > "$res/$name@$input.json"
  else
    hyperfine -N --warmup 1 --runs "$n" --export-json "$res/$name@$input.json" -n "$name" "$cmd" > /dev/null 2>&1 ||
      hyperfine --warmup 1 --runs "$n" --export-json "$res/$name@$input.json" -n "$name" "$cmd" > /dev/null
    rss=$(/usr/bin/time -f %M sh -c "$cmd > /dev/null 2>&1" 2>&1 | tail -1)
  fi
  printf '%s\t%s\t%s\n' "$name" "$input" "$rss" >> "$res/rss.tsv"
}

# ONLY=folder times only the folder and the zip (keeping earlier results of the big logs).
for input in sys bits; do
  [ "${ONLY:-}" != folder ] || continue
  f=${!input}
  cat "$f" > /dev/null
  time_cmd cat "$input" "$runs" "cat $f"
  time_cmd "bitsdiag report" "$input" "$runs" "$bd report -q -f json $f"
  time_cmd "bitsdiag events --all" "$input" "$runs" "sh -c '$bd events --all $f > /dev/null 2>&1'"
  if [ -n "${BASELINE:-}" ]; then
    time_cmd "baseline report" "$input" "$runs" "$BASELINE report -q -f json $f"
    time_cmd "baseline events --all" "$input" "$runs" "sh -c '$BASELINE events --all $f > /dev/null 2>&1'"
  fi
  time_cmd evtxexport "$input" "$peer_runs" "sh -c '$out/peers/evtxexport $f > /dev/null 2>&1'"
  time_cmd golang-evtx-dump "$input" "$peer_runs" "sh -c '$out/peers/golang-evtx-dump $f > /dev/null 2>&1'"
done
cat "$folder"/* > /dev/null
time_cmd cat folder "$runs" "sh -c 'cat $folder/* > /dev/null'"
time_cmd sha256sum folder "$runs" "sh -c 'sha256sum $folder/* > /dev/null'"
time_cmd "bitsdiag report" folder "$runs" "$bd report -q -f json $folder"
time_cmd "bitsdiag events --all" folder "$runs" "sh -c '$bd events --all $folder > /dev/null 2>&1'"
time_cmd cat zip "$runs" "cat $zipf"
time_cmd "bitsdiag report" zip "$runs" "$bd report -q -f json $zipf"
if [ -n "${BASELINE:-}" ]; then
  time_cmd "baseline report" folder "$runs" "$BASELINE report -q -f json $folder"
  time_cmd "baseline report" zip "$runs" "$BASELINE report -q -f json $zipf"
fi

python3 - "$res" "$(stat -L -c %s "$sys")" "$(stat -L -c %s "$bits")" "$(du -sb "$folder" | cut -f1)" "$(stat -L -c %s "$zipf")" <<'PY'
import glob, json, os, sys
res = sys.argv[1]
sizes = dict(sys=int(sys.argv[2]), bits=int(sys.argv[3]), folder=int(sys.argv[4]), zip=int(sys.argv[4]))
label = dict(sys=f"System log {sizes['sys']>>20} MiB", bits=f"BITS-heavy log {sizes['bits']>>20} MiB",
             folder="folder of %s logs (%d MiB)" % (len(os.listdir(glob.glob(res + '/../folder-*[0-9]')[0])), sizes['folder'] >> 20),
             zip="the same folder as a zip (%d MiB)" % (int(sys.argv[5]) >> 20))
mean = {}
for f in glob.glob(res + "/*.json"):
    name, inp = os.path.basename(f)[:-5].split("@")
    mean[(name, inp)] = json.load(open(f))["results"][0]["mean"]
rss = {}
for line in open(res + "/rss.tsv"):
    name, inp, kib = line.rstrip("\n").split("\t")
    rss[(name, inp)] = int(kib) if kib.isdigit() else 0
peers = ["evtxexport", "golang-evtx-dump"]
print("| Tool | Input | Wall | MB/s | × cat | vs evtxexport | vs golang-evtx-dump | Peak RSS |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for inp in ("sys", "bits", "folder", "zip"):
    for (name, i), t in sorted(mean.items(), key=lambda kv: (kv[0][0] != "cat", kv[0][0] in peers, kv[0][0])):
        if i != inp:
            continue
        cat = mean.get(("cat", inp)) or mean.get(("cat", "folder"))
        mbs = sizes[inp] / t / 1e6
        xcat = f"{t / cat:.1f}" if cat else ""
        vs = []
        for p in peers:
            pt = mean.get((p, inp))
            vs.append("" if pt is None or name in peers or name == "cat" else f"{pt / t:.1f}x faster")
        print(f"| {name} | {label[inp]} | {t:.2f} s | {mbs:.0f} | {xcat} | {vs[0]} | {vs[1]} | {rss.get((name, inp), 0) / 1024:.0f} MiB |")
PY
