#!/usr/bin/env bash
# CPU time per operation for every workload x format x op, from the peers
# bench binary's `--iterate` mode under `perf stat -e task-clock`: thread CPU
# time, so a busy machine (other processes' time slices) does not inflate it
# the way it inflates criterion's wall-clock samples. Setup (data generation)
# is measured with 0 iterations and subtracted; best of 3 runs.
#
#   cargo bench -p skyrocket --bench peers --no-run
#   CARGO_TARGET_DIR=... codec-core/benches/cpu-time.sh > cpu.md
set -euo pipefail
target=${CARGO_TARGET_DIR:-target}
bin=$(ls -t "$target"/release/deps/peers-* | grep -v '\.d$' | head -1)
formats=(skyrocket bitcode postcard rmp-serde prost serde_json)
declare -A iters=([entities]=50000 [bools]=50000 [arena]=20000 [mk48]=100 [log]=200)

task_ms() { # workload op format n -> task-clock ms
  perf stat -x, -e task-clock "$bin" --iterate "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}'
}

ns_per_op() { # workload op format -> best-of-3 ns per operation
  local n=${iters[$1]} best=""
  for _ in 1 2 3; do
    local base t v
    base=$(task_ms "$1" "$2" "$3" 0)
    t=$(task_ms "$1" "$2" "$3" "$n")
    v=$(awk -v b="$base" -v t="$t" -v n="$n" 'BEGIN { printf "%.0f", (t - b) * 1e6 / n }')
    if [[ -z $best || $v -lt $best ]]; then best=$v; fi
  done
  echo "$best"
}

show() { awk -v v="$1" 'BEGIN { if (v >= 1e6) printf "%.2f ms", v / 1e6; else if (v >= 1e3) printf "%.2f µs", v / 1e3; else printf "%d ns", v }'; }

for op in encode decode; do
  echo
  echo "$op, CPU time per message (best of 3)"
  echo
  header="| workload |"
  for f in "${formats[@]}"; do header="$header $f |"; done
  echo "$header"
  echo "|---|$(printf -- '---:|%.0s' "${formats[@]}")"
  for w in entities bools arena mk48 log; do
    row="| $w |"
    sky=""
    for f in "${formats[@]}"; do
      v=$(ns_per_op "$w" "$op" "$f")
      cell=$(show "$v")
      if [[ -z $sky ]]; then sky=$v; else cell="$cell ($(awk -v v="$v" -v s="$sky" 'BEGIN { printf "%.1f×", v / s }'))"; fi
      row="$row $cell |"
    done
    echo "$row"
  done
done
