"""How a busy CPU slows varlearn's training steps, and what the number of threads and OpenMP's waiting policy do.

PyTorch runs its CPU operators on OpenMP threads. Between two parallel regions GNU OpenMP keeps its threads spinning
(busy-waiting) for a while before they sleep. When another process holds one of the cores, a thread that has work
waits for one that is not running, at every one of the thousands of small parallel regions of a training step.

Each setting runs in a fresh process (OpenMP reads its environment once, when torch is loaded), idle and with one
`while True: pass` process beside it, and prints the median seconds per step of the quickstart's tokenizer and
transformer. `adapt` is what varlearn does: `adapt_threads()` before every step (the core chapter), which measures
every few seconds whether all threads or one are faster and switches. Run it alone on the machine. What it showed on
the 2-core development machine (README): shorter spinning or passive waiting helps the transformer under load but slows
both models when idle; one thread is the only fixed setting that a busy core does not slow down, at 1.5-1.7x the idle
two-thread time; `adapt` runs at the default's speed when idle and at one thread's when busy.

    python benchmarks/contention.py                    # about 2 minutes on 2 cores
    python benchmarks/contention.py --settings default threads=1 adapt
"""
import argparse, json, os, subprocess, sys, time

STEP = r'''
import json, sys, time, torch
threads, precision, adapt = int(sys.argv[2]), sys.argv[3], sys.argv[4] == 'adapt'
if threads: torch.set_num_threads(threads)
from varlearn.core import adapt_threads
from dataclasses import replace
from varlearn.quickstart import Recipe
from varlearn.vqvae import VQVAE
from varlearn.model import VAR, var_loss
from varlearn.train_tokenizer import tokenizer_loss_fn
torch.manual_seed(0)
r = Recipe()
amp = dict(tokenizer=precision or r.tokenizer_train.precision, var=precision or r.var_train.precision)
from varlearn.core import autocast_dtype
def median_step(step, n):
    for _ in range(3): step()
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        if adapt: adapt_threads()             # what the trainer does before every step
        step(); ts.append(time.perf_counter() - t)
    return sorted(ts)[n // 2]
vae = VQVAE(r.tokenizer); opt = torch.optim.AdamW(vae.parameters(), 1e-3)
img = torch.rand(r.tokenizer_train.batch_size, 3, r.tokenizer.image_size, r.tokenizer.image_size) * 2 - 1
dt = autocast_dtype('cpu', amp['tokenizer'])
tok_loss = tokenizer_loss_fn(r.tokenizer_loss)
def tok_step():
    with torch.autocast('cpu', dtype=dt, enabled=dt is not None):
        loss = tok_loss(vae, (img, None))[0]
    opt.zero_grad(); loss.backward(); opt.step()
var = VAR(r.var_config(r.tokenizer, 10)); vopt = torch.optim.AdamW(var.parameters(), 1e-3)
B = r.var_train.batch_size
idx = [torch.randint(0, r.tokenizer.vocab_size, (B, n)) for n in var.schedule.token_counts]
with torch.no_grad(): x = vae.quantize.teacher_forcing_input(idx)
label = torch.arange(B) % 10
dv = autocast_dtype('cpu', amp['var'])
def var_step():
    with torch.autocast('cpu', dtype=dv, enabled=dv is not None):
        logits = var(label, x)
    loss = var_loss(logits, idx, var.schedule)[0]
    vopt.zero_grad(); loss.backward(); vopt.step()
n = int(sys.argv[1])
print(json.dumps(dict(tokenizer=median_step(tok_step, n), var=median_step(var_step, n), threads=torch.get_num_threads())))
'''

def run(setting:str, busy:bool, steps:int, precision:str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ('GOMP_SPINCOUNT', 'OMP_WAIT_POLICY')}
    threads = 0
    if setting == 'default': env['GOMP_SPINCOUNT'] = '300000'             # GNU OpenMP's own default, as plain PyTorch has it
    elif setting == 'adapt': pass                                         # varlearn's adapt_threads before every step
    elif setting.startswith('threads='): threads = int(setting.split('=')[1])
    elif '=' in setting:
        k, v = setting.split('=', 1); env[k] = v
    else: raise SystemExit(f"contention: a setting is 'default', 'adapt', NAME=VALUE or threads=N, got {setting!r}")
    hog = subprocess.Popen([sys.executable, '-c', 'while True: pass']) if busy else None
    try:
        r = subprocess.run([sys.executable, '-c', STEP, str(steps), str(threads), precision, setting], capture_output=True, text=True, env=env)
    finally:
        if hog: hog.kill(); hog.wait()
    if r.returncode: raise SystemExit(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--settings', nargs='+', default=['default', 'GOMP_SPINCOUNT=1000', 'OMP_WAIT_POLICY=PASSIVE', 'threads=1', 'adapt'],
                   help="'default' (OpenMP's own), NAME=VALUE (an environment variable), threads=N, 'adapt' (varlearn's choice)")
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--precision', default='', choices=['', 'auto', 'fp32', 'bf16'], help="both models' precision (default: the recipe's)")
    a = p.parse_args()
    print(f"seconds per training step of the quickstart's models, median of {a.steps}; 'busy': one `while True: pass` beside")
    print('\n| setting | threads | tokenizer idle | tokenizer busy | slowdown | VAR idle | VAR busy | slowdown |\n|---|---|---|---|---|---|---|---|')
    for s in a.settings:
        idle, busy = run(s, False, a.steps, a.precision), run(s, True, a.steps, a.precision)
        print(f"| {s} | {idle['threads']} | {idle['tokenizer']:.3f} | {busy['tokenizer']:.3f} | {busy['tokenizer'] / idle['tokenizer']:.1f}x "
              f"| {idle['var']:.3f} | {busy['var']:.3f} | {busy['var'] / idle['var']:.1f}x |", flush=True)

if __name__ == '__main__': main()
