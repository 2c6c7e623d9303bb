#!/usr/bin/env bash
# Run every chapter top to bottom on the CPU with nbdev's executor and store its outputs (pictures, printed proofs)
# in the notebook, so that GitHub and the docs site show them; then nbdev-clean. Cells flagged `slow` or `cuda` are
# skipped as in the test run. Rerun it after changing a chapter (the test run fails on a stale picture).
#
#   bash scripts/execute_notebooks.sh                       # every notebook in nbs/
#   bash scripts/execute_notebooks.sh nbs/02_mask.ipynb     # one chapter
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# IPython's retina format doubles matplotlib's dpi: 50 stores figures at 100 dpi, a few tens of kB each.
printf 'figure.dpi: 50\n' > "$tmp/matplotlibrc"
# A throwaway signing key (as in the test run), never the user's; seeds are fixed in the chapters.
MPLCONFIGDIR="$tmp" VARLEARN_HOME="$tmp/home" nbdev-test --n-workers 1 --save "${1:-nbs}"
nbdev-clean
