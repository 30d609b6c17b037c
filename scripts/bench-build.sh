#!/usr/bin/env bash
# Build cost of the generator: a clean build of the crate as it is (build.rs runs the generator) against a clean
# build of the same crate compiled from the committed generated/ code with no build.rs, one after the other on
# the same machine; then the rebuild after touching one schema file; then the crates the generator adds.
#
#   bash scripts/bench-build.sh            (dev profile; PROFILE=release for release builds; ROUNDS=n, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-dev}"
rounds="${ROUNDS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

copy() {
  mkdir -p "$1"
  git ls-files -z | xargs -0 -I{} cp --parents {} "$1"/
}

copy "$work/with-generator"
copy "$work/without-generator"
(
  cd "$work/without-generator"
  rm build.rs
  # The crate reads the committed copy instead of OUT_DIR, and loses its build-dependency.
  sed -i 's|env!("OUT_DIR")|env!("CARGO_MANIFEST_DIR"), "/generated"|' src/lib.rs generated/api.rs
  sed -i '/^build = "build.rs"$/d' Cargo.toml
  sed -i '/^\[build-dependencies\]$/,/^$/d' Cargo.toml
)

# A clean build of the copy in $1: "wall-seconds cpu-seconds", the CPU time being that of cargo and every rustc
# and build script it ran (user and system).
clean_build() {
  local dir="$1" TIMEFORMAT='%R %U %S' wall user sys
  rm -rf "$dir/target"
  { time (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --lib --quiet --profile "$profile" 2>&3); } 3>&2 2>"$work/time"
  read -r wall user sys <"$work/time"
  awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f %.1f", w, u + s }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
smaller() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# Rounds alternate, each from nothing. Wall time is what a user waits for, but on two cores it moves by several
# seconds from build to build with the machine's spells; CPU time says how much work each side is, and moves less.
echo "clean builds of the library, profile $profile, $(nproc) cores"
without=""
with=""
wall_ratios=""
cpu_ratios=""
for round in $(seq "$rounds"); do
  read -r a a_cpu <<<"$(clean_build "$work/without-generator")"
  read -r b b_cpu <<<"$(clean_build "$work/with-generator")"
  echo "  round $round: from generated/ with no build.rs ${a} s (CPU ${a_cpu} s); with build.rs and the generator ${b} s (CPU ${b_cpu} s)"
  without=$(smaller "$a" "$without")
  with=$(smaller "$b" "$with")
  wall_ratios+="$(awk "BEGIN { print $b / $a }")"$'\n'
  cpu_ratios+="$(awk "BEGIN { print $b_cpu / $a_cpu }")"$'\n'
done
echo "  fastest: ${without} s against ${with} s, ratio $(awk "BEGIN { printf \"%.3f\", $with / $without }") (target ≤ 1.15)"
echo "  median of the rounds' ratios: wall $(printf '%s' "$wall_ratios" | median), CPU $(printf '%s' "$cpu_ratios" | median)"

touch "$work/with-generator/schemas/pinterest/types.toml"
start=$(date +%s.%N)
(cd "$work/with-generator" && CARGO_TARGET_DIR="$work/with-generator/target" cargo build --lib --quiet --profile "$profile")
end=$(date +%s.%N)
echo "rebuild after touching schemas/pinterest/types.toml: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"

echo "crates the generator adds (build-time only, not in the library's own dependency tree):"
runtime=$(cd "$work/without-generator" && cargo tree --prefix none -e normal,build --format '{p}' | sed 's/ (.*//; s/ v/@/' | sort -u)
generator=$(cargo tree --prefix none -p marketing-apis-codegen -e normal,build --format '{p}' | sed 's/ (.*//; s/ v/@/' | sort -u)
comm -13 <(echo "$runtime") <(echo "$generator") | sed 's/^/  /'
