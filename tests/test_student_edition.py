"""The student edition runs: each chapter with an implement-it or compute-it exercise runs from the top, as a student
would run it, and stops at its first stub with "not implemented yet", after every cell before it has run.

The edition is made with `varlearn.course.student_edition` in a folder beside `nbs/` (so that paths like `../images`
mean the same), each chapter runs in a fresh process with nbdev's runner rules (cells flagged in `tst_flags` are
skipped, as in `test_notebooks.py`). Chapters whose exercises are all written answers have no code stub: the course
chapter proves that their student edition differs from the book only in those answers, and the book's own run covers
their code.
"""
import json, os, shutil, subprocess, sys, tempfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

_RUNNER = """
import json, sys
from pathlib import Path
from fastcore.xtras import working_directory
from execnb.shell import CaptureShell
from nbdev.config import get_config
from nbdev.process import NBProcessor
from nbdev.test import _skip_cell
fn = Path(sys.argv[1])
cfg = get_config()
skip = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
nb = NBProcessor(fn, rm_directives=False, process=True).nb
k, ran = CaptureShell(fn), []
try:
    with working_directory(fn.parent):
        k.run_all(nb, exc_stop=True, preproc=_skip_cell(nb, skip, []), postproc=lambda c: ran.append(c.idx_))
except BaseException: pass
exc = k.exc
print(json.dumps(dict(last=ran[-1] if ran else None, exc=type(exc).__name__ if exc else None, msg=str(exc) if exc else '')))
"""

def _stub_chapters():
    from varlearn.course import exercise_id, grade_id, mark_exercises
    out = []
    for p in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')):
        nb = json.loads(p.read_text(encoding='utf-8'))
        marks = mark_exercises(nb, p.name)
        code_sol = [i for i, (c, m) in enumerate(zip(nb['cells'], marks)) if m and m['solution'] and c['cell_type'] == 'code']
        if not code_sol: continue
        i0 = code_sol[0]; id = exercise_id(marks[i0]['grade_id'])
        i1 = next(i for i, m in enumerate(marks) if m and m['grade_id'] == grade_id(id, 'check'))
        out.append((p.name, i0, i1, id))
    return out

CHAPTERS = _stub_chapters()

@pytest.fixture(scope='module')
def edition(tmp_path_factory):
    from varlearn.course import student_edition
    d = Path(tempfile.mkdtemp(prefix='.student-test-', dir=ROOT))
    try:
        student_edition(ROOT/'nbs', d/'nbs')
        yield d/'nbs'
    finally: shutil.rmtree(d, ignore_errors=True)

@pytest.mark.parametrize('name,first_stub,its_check,id', CHAPTERS, ids=[c[0].removesuffix('.ipynb') for c in CHAPTERS])
def test_student_chapter_stops_at_first_stub(edition, name, first_stub, its_check, id, tmp_path):
    res = subprocess.run([sys.executable, '-c', _RUNNER, str(edition/name)], cwd=edition, capture_output=True, text=True,
                         env={**os.environ, 'MPLBACKEND': 'Agg', 'VARLEARN_HOME': str(tmp_path)})
    assert res.returncode == 0, res.stderr[-4000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out['exc'] is not None, f"{name}: the student edition ran to the end; its first stub ({id}) did not stop it"
    assert out['last'] in (first_stub, its_check), \
        f"{name}: stopped at cell {out['last']} ({out['exc']}: {out['msg'][:300]}), not at the stub of {id} (cell {first_stub} or its check {its_check})"
    assert f"{id}: not implemented yet" in out['msg'], f"{name}: {out['exc']}: {out['msg'][:300]}"

def test_stub_chapters_found():
    "Guard against an empty parametrisation: the core chapters have implement-it exercises."
    assert len(CHAPTERS) >= 7, CHAPTERS
