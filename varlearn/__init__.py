__version__ = "0.1.0"

import os as _os
# Threads that survive a busy CPU (measured in the core chapter and `benchmarks/contention.py`): GNU OpenMP, which
# PyTorch's CPU operators run on, lets idle threads spin for 300,000 turns before they sleep; when another process
# holds a core, the spinning steals it from the thread with work and a training step runs many times slower. A short
# spin keeps idle speed and avoids the collapse. It takes effect when varlearn is imported before torch (the `varlearn`
# command always is); your own GOMP_SPINCOUNT or OMP_WAIT_POLICY is left as it is.
if 'GOMP_SPINCOUNT' not in _os.environ and 'OMP_WAIT_POLICY' not in _os.environ:
    _os.environ['GOMP_SPINCOUNT'] = '1000'
