"""Run every notebook in `nbs/` as one pytest test, with nbdev's own notebook runner.

Each notebook runs in a fresh Python process (as a reader would run it), so no state leaks from one chapter to the
next. Cells marked with a flag from `tst_flags` in pyproject.toml (`notest`, `slow`, `cuda`) are skipped, exactly as
`nbdev-test` skips them; set `VARLEARN_TEST_FLAGS="slow"` to run the slow cells too. The notebooks sign the
checkpoints they write with a key made for the test run (`VARLEARN_HOME` in a temporary folder), never the user's.
"""
import os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

_RUNNER = """
import sys
from nbdev.config import get_config
from nbdev.test import test_nb
cfg = get_config()
skip = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
ok, secs = test_nb(sys.argv[1], skip_flags=skip, force_flags=sys.argv[2].split(), basepath=cfg.config_path)
print(f"{sys.argv[1]}: {'passed' if ok else 'FAILED'} in {secs:.1f}s")
sys.exit(0 if ok else 1)
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
