"""Run every notebook in `nbs/` as one pytest test, with nbdev's own notebook runner.

Each notebook runs in a fresh Python process (as a reader would run it), so no state leaks from one chapter to the
next. The notebooks are stored with their outputs (`scripts/execute_notebooks.sh`); a chapter whose cells draw a
figure that is not stored, or keep one they no longer draw, fails with the command that fixes it. Cells marked with a
flag from `tst_flags` in pyproject.toml (`notest`, `slow`, `cuda`) are skipped, exactly as `nbdev-test` skips them;
set `VARLEARN_TEST_FLAGS="slow"` to run the slow cells too. The notebooks sign the
checkpoints they write with a key made for the test run (`VARLEARN_HOME` in a temporary folder), never the user's.
"""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

_RUNNER = """
import json, sys
import nbdev.test
from execnb.shell import CaptureShell
from nbdev.config import get_config
from nbdev.test import test_nb
class _Keep(CaptureShell):   # nbdev's own runner; this only keeps the executed notebook to compare its figures
    def run_all(self, nb, *args, **kwargs): _Keep.nb = nb; return super().run_all(nb, *args, **kwargs)
nbdev.test.CaptureShell = _Keep
cfg = get_config()
skip = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
ok, secs = test_nb(sys.argv[1], skip_flags=skip, force_flags=sys.argv[2].split(), basepath=cfg.config_path)
print(f"{sys.argv[1]}: {'passed' if ok else 'FAILED'} in {secs:.1f}s")
if not ok: sys.exit(1)
# The stored outputs are what GitHub and the docs site show: every cell that draws a figure now must have one stored,
# and no cell may keep a figure it no longer draws.
fig = lambda outs: any('image/png' in (o.get('data') or {}) for o in outs or [])
ran, stored = _Keep.nb.cells, json.load(open(sys.argv[1], encoding='utf-8'))['cells']
assert len(ran) == len(stored), (len(ran), len(stored))
missing = [i for i, (a, b) in enumerate(zip(ran, stored)) if fig(a.get('outputs')) and not fig(b.get('outputs'))]
stale = [i for i, (a, b) in enumerate(zip(ran, stored)) if fig(b.get('outputs')) and not fig(a.get('outputs'))]
if (missing or stale) and not sys.argv[2].strip():   # with extra flags (slow cells run), outputs differ by design
    print(f"{sys.argv[1]}: stale outputs: " + (f"cells {missing} draw a figure that is not stored; " if missing else '')
          + (f"cells {stale} store a figure they no longer draw; " if stale else '')
          + f"run `bash scripts/execute_notebooks.sh nbs/{sys.argv[1].rsplit('/', 1)[-1]}` and commit the notebook")
    sys.exit(1)
"""

@pytest.fixture(scope='session')
def varlearn_home(tmp_path_factory): return tmp_path_factory.mktemp('varlearn_home')

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb, varlearn_home):
    flags = os.environ.get('VARLEARN_TEST_FLAGS', '')
    res = subprocess.run([sys.executable, '-c', _RUNNER, str(nb), flags], cwd=ROOT/'nbs', capture_output=True, text=True,
                         env={**os.environ, 'MPLBACKEND': 'Agg', 'VARLEARN_HOME': str(varlearn_home)})
    if res.returncode != 0:
        pytest.fail(f"notebook {nb.name} failed:\n{res.stdout[-4000:]}\n{res.stderr[-8000:]}", pytrace=False)

def test_notebooks_found():
    "Guard against an empty parametrisation silently passing."
    assert len(NBS) >= 3, f"expected the chapters in {ROOT/'nbs'}, found {[p.name for p in NBS]}"

def test_no_control_characters():
    "A LaTeX command written in a Python string without r'' ('\\text', '\\frac', '\\alpha', '\\beta') leaves a control character in the prose."
    import json, re
    bad = []
    for nb in NBS:
        for i, cell in enumerate(json.loads(nb.read_text(encoding='utf-8'))['cells']):
            src = ''.join(cell['source'])
            for m in re.finditer(r'[\x00-\x08\x0b-\x1f]' + ('|\t' if cell['cell_type'] == 'markdown' else ''), src):
                bad.append(f"{nb.name} cell {i}: {src[max(0, m.start() - 20):m.end() + 20]!r}")
    assert not bad, "control characters in notebook cells (an unescaped backslash?):\n" + '\n'.join(bad)
