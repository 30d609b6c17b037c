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

clean_build() {
  local dir="$1"
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --lib --quiet --profile "$profile")
  end=$(date +%s.%N)
  awk "BEGIN { printf \"%.1f\", $end - $start }"
}

smaller() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# Rounds alternate, each from nothing; the fastest build of each side counts, as the one least disturbed.
echo "clean builds of the library, profile $profile, $(nproc) cores"
without=""
with=""
for round in $(seq "$rounds"); do
  rm -rf "$work/without-generator/target" "$work/with-generator/target"
  a=$(clean_build "$work/without-generator")
  b=$(clean_build "$work/with-generator")
  echo "  round $round: from generated/ with no build.rs ${a} s; with build.rs and the generator ${b} s"
  without=$(smaller "$a" "$without")
  with=$(smaller "$b" "$with")
done
echo "  fastest: ${without} s against ${with} s, ratio $(awk "BEGIN { printf \"%.3f\", $with / $without }") (target ≤ 1.15)"

touch "$work/with-generator/schemas/pinterest/types.toml"
start=$(date +%s.%N)
(cd "$work/with-generator" && CARGO_TARGET_DIR="$work/with-generator/target" cargo build --lib --quiet --profile "$profile")
end=$(date +%s.%N)
echo "rebuild after touching schemas/pinterest/types.toml: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"

echo "crates the generator adds (build-time only, not in the library's own dependency tree):"
runtime=$(cd "$work/without-generator" && cargo tree --prefix none -e normal,build --format '{p}' | sed 's/ (.*//; s/ v/@/' | sort -u)
generator=$(cargo tree --prefix none -p marketing-apis-codegen -e normal,build --format '{p}' | sed 's/ (.*//; s/ v/@/' | sort -u)
comm -13 <(echo "$runtime") <(echo "$generator") | sed 's/^/  /'
