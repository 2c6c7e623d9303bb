"""Time varlearn's sampler and a teacher-forcing training step. A benchmark, not a test: it prints a table and
writes it to a file. Random weights (nothing is downloaded).

    python benchmarks/bench_sampler.py                   # tiny and d16, CPU or the default device
    python benchmarks/bench_sampler.py --configs tiny    # quick
    python benchmarks/bench_sampler.py --out results.md
"""
import argparse, platform, time
import torch
from varlearn.core import resolve_device, seed_everything
from varlearn.model import VAR, VARConfig, var_loss
from varlearn.sample import generate
from varlearn.vqvae import VQVAE, VQVAEConfig

CONFIGS = {  # name -> (tokenizer config, transformer config): the tiny CPU pair and d16 on the 256-px schedule
    'tiny': (VQVAEConfig.tiny, VARConfig.tiny),
    'd16': (VQVAEConfig.official, VARConfig.d16),
}

def _sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()

def timeit(fn, dev, repeats):
    "Median wall time of `fn()` over `repeats` runs, after one warm-up run."
    fn(); _sync(dev)
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); _sync(dev); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]

def bench(name, dev, repeats, batches):
    "Yield (config, what, seconds, throughput) rows: sampling at each batch size, then one training step."
    vcfg, mcfg = CONFIGS[name][0](), CONFIGS[name][1]()
    seed_everything(0)
    vae, var = VQVAE(vcfg).to(dev).eval(), VAR(mcfg).to(dev).eval()
    for B in batches:
        top_k = min(900, mcfg.vocab_size)   # the official demo settings: cfg 1.5, top-k 900, top-p 0.96
        s = timeit(lambda: generate(var, vae, B, 0, g_seed=0, cfg=1.5, top_k=top_k, top_p=0.96), dev, repeats)
        yield name, f'sample B={B}', s, f'{B / s:.3g} img/s'
    B, sched = batches[-1], mcfg.schedule
    idx = [torch.randint(0, mcfg.vocab_size, (B, n), device=dev) for n in sched.token_counts]
    x = vae.quantize.teacher_forcing_input(idx)
    label = torch.zeros(B, dtype=torch.long, device=dev)
    var.train()
    opt = torch.optim.AdamW(var.parameters(), lr=1e-4)
    def step():
        loss = var_loss(var(label, x), idx, sched)[0]
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    s = timeit(step, dev, repeats)
    yield name, f'train step B={B}', s, f'{B * sched.L / s:.4g} tok/s'

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--configs', nargs='+', default=list(CONFIGS), choices=list(CONFIGS))
    p.add_argument('--device', default=None)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--batches', type=int, nargs='+', default=[1, 8])
    p.add_argument('--out', default='bench_sampler_results.md')
    a = p.parse_args()
    dev = resolve_device(a.device)
    head = (f"varlearn sampler benchmark: torch {torch.__version__}, device {dev}"
            f"{' (' + torch.cuda.get_device_name() + ')' if dev.type == 'cuda' else ''}, {torch.get_num_threads()} threads, "
            f"{platform.processor() or platform.machine()}, median of {a.repeats}")
    lines = [head, '', '| config | what | seconds | throughput |', '|---|---|---|---|']
    print('\n'.join(lines), flush=True)
    for name in a.configs:
        for r in bench(name, dev, a.repeats, a.batches):
            lines.append(f'| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]} |'); print(lines[-1], flush=True)
    open(a.out, 'w').write('\n'.join(lines) + '\n')
    print(f'wrote {a.out}')

if __name__ == '__main__': main()
