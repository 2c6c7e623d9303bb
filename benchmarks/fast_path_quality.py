"""What the fast path (bfloat16 autocast) changes in a trained model's output, scale by scale.

A benchmark, not a test: it prints a Markdown table. For a VAR run and its tokenizer it measures, per scale,
- `argmax`: on the same input (the tokens the exact path drew, fed back by teacher forcing), the share of positions
  where the fast path's most likely token equals the exact path's: bf16's local effect on one scale's prediction;
- `drawn`: sampling with the same seed on both paths, the share of positions where the two draw the same token. The
  draws share their random numbers, so they agree until a probability moves across a draw; after that, the two
  samples go their own ways (the later scales condition on the earlier ones), as two seeds would.
The sample-level effect (accuracy, FD, KID, precision, recall) is `varlearn eval` with `--precision fp32` and
`--precision auto`, on the same seed.

    python benchmarks/fast_path_quality.py --var runs/quickstart/var --vae runs/quickstart/tokenizer
"""
import argparse
import torch
from varlearn.checkpoint import load_pair
from varlearn.core import cpu_has_bf16, seed_everything
from varlearn.sample import generate


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--var', required=True, help='a VAR run folder (or checkpoint)')
    p.add_argument('--vae', required=True, help='its tokenizer run folder (or checkpoint)')
    p.add_argument('--n-per-class', type=int, default=20)
    p.add_argument('--cfg', type=float, default=4.0)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--precision', default='bf16', choices=['bf16', 'fp16', 'auto'], help='the fast path to compare with fp32')
    a = p.parse_args()
    if a.precision == 'auto' and not cpu_has_bf16(): print("note: this CPU has no bf16 instructions; 'auto' is fp32 here")
    seed_everything(a.seed)
    var, vae = load_pair(a.var, a.vae, torch.device('cpu'))
    var.eval(); vae.eval()
    label_B = torch.arange(var.num_classes).repeat_interleave(a.n_per_class)
    kw = dict(label_B=label_B, g_seed=a.seed, cfg=a.cfg, return_idx=True, decode=False)
    _, exact = generate(var, vae, len(label_B), precision='fp32', **kw)
    _, fast = generate(var, vae, len(label_B), precision=a.precision, **kw)
    x = vae.quantize.teacher_forcing_input(exact)
    with torch.no_grad():
        ref = var(label_B, x).argmax(-1)
        with torch.autocast('cpu', dtype=torch.float16 if a.precision == 'fp16' else torch.bfloat16):
            low = var(label_B, x).float().argmax(-1)
    print(f"{len(label_B)} samples, cfg {a.cfg}, seed {a.seed}: fast path ({a.precision}) against the exact path (fp32)\n")
    print("| scale | side | argmax agreement (same input) | drawn-token agreement (same seed) |")
    print("|---|---|---|---|")
    start = 0
    for si, (e, f) in enumerate(zip(exact, fast)):
        n = e.shape[1]
        am = (ref[:, start:start + n] == low[:, start:start + n]).float().mean().item()
        dr = (e == f).float().mean().item()
        print(f"| {si + 1} | {var.schedule.patch_nums[si]} | {am:.3f} | {dr:.3f} |")
        start += n
    same = torch.stack([(e == f).all(1) for e, f in zip(exact, fast)], 1).all(1).float().mean().item()
    print(f"\nsamples whose every token is the same on both paths: {same:.3f}")


if __name__ == '__main__':
    main()
