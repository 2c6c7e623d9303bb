"""Why a training step on the CPU runs its attention in float32 over short sequences (varlearn.model's
CPU_FP32_ATTENTION_MAX_L): PyTorch's CPU attention (scaled_dot_product_attention, forward and backward) timed in
bfloat16 and in float32 at the training shapes of the quickstart, the tiny benchmark model, d8 and d16 (under VAR's
block-causal mask), and at sequence lengths around the limit (16 images, 4 heads of 64 channels, a causal mask).

A benchmark, not a test: it prints a Markdown table (milliseconds, median of --repeats). Time it alone on an idle
machine.

    python benchmarks/attention.py            # about a minute on 2 cores
"""
import argparse, time
import torch
import torch.nn.functional as F
from varlearn.mask import additive_mask
from varlearn.model import VARConfig
from varlearn.quickstart import Recipe

def shapes():
    "name -> (batch, heads, head channels, L, float mask) of a training step's attention."
    r = Recipe()
    qs = r.var_config(r.tokenizer, 10)
    tiny = VARConfig.from_depth(4, patch_nums=(1, 2, 3, 4, 6, 8), vocab_size=512, Cvae=16, num_classes=10)
    d8, d16 = VARConfig.from_depth(8), VARConfig.d16()
    rows = [('quickstart', r.var_train.batch_size, qs), ('tiny', 16, tiny), ('d8', 4, d8), ('d16', 2, d16)]
    out = {n: (B, c.num_heads, c.embed_dim // c.num_heads, c.schedule.L, additive_mask(c.schedule, torch.float32, 'cpu'))
           for n, B, c in rows}
    causal = lambda L: torch.zeros(L, L).masked_fill(~torch.ones(L, L, dtype=torch.bool).tril(), float('-inf'))
    return {**out, **{f'L={L}': (16, 4, 64, L, causal(L)) for L in (160, 200, 256, 400)}}

def time_ms(fn, repeats:int) -> float:
    fn(); fn()
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2] * 1e3

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--repeats', type=int, default=7)
    a = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    print('| shape (B, heads, L, c) | bf16 forward | bf16 fwd+bwd | fp32 forward | fp32 fwd+bwd | fwd+bwd bf16 / fp32 |')
    print('|---|---|---|---|---|---|')
    for name, (B, H, c, L, mask32) in shapes().items():
        row = {}
        for dt in (torch.bfloat16, torch.float32):
            g = torch.Generator().manual_seed(0)
            q, k, v = [torch.randn(B, H, L, c, generator=g).to(dt).requires_grad_() for _ in range(3)]
            mask = mask32.to(dt)
            fwd = lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            def both(): fwd().sum().backward()
            with torch.no_grad(): row[dt, 'f'] = time_ms(fwd, a.repeats)
            row[dt, 'b'] = time_ms(both, a.repeats)
        bf, fp = torch.bfloat16, torch.float32
        print(f"| {name} ({B}, {H}, {L}, {c}) | {row[bf, 'f']:.1f} | {row[bf, 'b']:.1f} | {row[fp, 'f']:.1f} | "
              f"{row[fp, 'b']:.1f} | {row[bf, 'b'] / row[fp, 'b']:.2f} |")

if __name__ == '__main__': main()
