#!/usr/bin/env bash
# Grade a chapter with nbgrader, as an instructor would: generate the assignment from the book's notebook, then
# autograde two submissions, the book itself (every solution) and the released notebook untouched (no answer).
# Prints nbgrader's grades.csv. Needs nbgrader beside varlearn (`pip install nbgrader`); the test run does not.
#
#   bash scripts/check_nbgrader.sh            # the mask chapter
#   bash scripts/check_nbgrader.sh 06_sample
set -euo pipefail
export PYTHONWARNINGS=ignore   # nbgrader's own SQLAlchemy warnings
nb=${1:-02_mask}
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$root/nbs/$nb.ipynb" ] || { echo "no notebook nbs/$nb.ipynb" >&2; exit 2; }
command -v nbgrader >/dev/null || { echo "nbgrader is not installed here: pip install nbgrader" >&2; exit 2; }
course=$(mktemp -d); trap 'rm -rf "$course"' EXIT
cd "$course"
cat > nbgrader_config.py <<EOF
c = get_config()
c.CourseDirectory.course_id = "varlearn"
c.CourseDirectory.root = "$course"
c.Exchange.root = "$course/exchange"
EOF
mkdir -p source/ch && cp "$root/nbs/$nb.ipynb" source/ch/
{ nbgrader db assignment add ch; nbgrader db student add with_solutions; nbgrader db student add no_answers; } >/dev/null 2>&1
nbgrader generate_assignment ch --force --log-level=ERROR
mkdir -p submitted/with_solutions/ch submitted/no_answers/ch
cp "source/ch/$nb.ipynb" submitted/with_solutions/ch/
cp "release/ch/$nb.ipynb" submitted/no_answers/ch/
nbgrader autograde ch --force --log-level=ERROR
nbgrader export --log-level=ERROR
cut -d, -f4,8,11 grades.csv | column -t -s,
