"""Is VAR faster than next-token prediction, and better at equal compute? Measured in miniature (the raster chapter).

A benchmark, not a test: it prints Markdown tables and writes JSON.

Speed (the default): VAR, arm 1 (VAR's own token pyramid read one token at a time, token-causal) and arm 2 (a raster
model on a one-scale grid of the same final side) sample class-conditional images with the KV cache, guidance (the
doubled batch) and the same filters, at final grids 4x4 to 32x32 and batches 1 to 64. The models have the same depth
and width and random weights (speed does not depend on their values); the tokenizer's decoder is the same for all three
and is left out. For each grid and batch it prints seconds per image, the speed-up of VAR over each arm, the
sequential transformer calls, and the attention and total FLOPs of one image; then the slope of log(time) against
log(grid side) per model at batch 1, next to the O(n^4) / O(n^6) argument of the scales chapter.

    python benchmarks/var_vs_raster.py --quick          # grids 4, 8, 16, batches 1 and 8: a few minutes on 2 cores
    python benchmarks/var_vs_raster.py                  # grids 4 to 32, batches 1, 8, 64
    python benchmarks/var_vs_raster.py --quality        # VAR against arm 2 at equal training FLOPs (slow: about 20 min)
    python benchmarks/var_vs_raster.py --quick --merge  # rerun the speed part, keeping the JSON's quality results

The JSON (`--json`, default var_vs_raster.json) has every row, the slopes, and the batch-1 speed-up of VAR over
arm 2 at 16x16 as `speedup_b1_16`. `--quality` trains VAR with the quickstart's recipe, arm 2 on the quickstart
tokenizer retrained with the one-scale schedule for the same training FLOPs, and evaluates both with `sample_metrics`
(shipped judges, FD, KID, precision, recall) on held-out data; its results go under `quality`.
"""
import argparse, json, math, platform, sys, time
from dataclasses import replace
from pathlib import Path
import torch
from varlearn.core import seed_everything
from varlearn.model import VAR, VARConfig
from varlearn.raster import NextToken
from varlearn.sample import generate
from varlearn.vqvae import VQVAE, VQVAEConfig

SCHEDULES = {4: (1, 2, 3, 4), 8: (1, 2, 3, 4, 6, 8), 16: (1, 2, 3, 4, 5, 6, 8, 10, 13, 16),   # 16: the official 256-px one
             32: (1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 32)}
SAMPLING = dict(cfg=1.5, top_k=100, top_p=0.96)


def flops_per_image(cfg:VARConfig, order:str) -> dict:
    "Forward FLOPs of sampling one image with a KV cache (guidance doubles them): attention and all (x2 for the two halves)."
    D, depth, L = cfg.embed_dim, cfg.depth, cfg.schedule.L
    if order == 'scale':   # scale k: r_k^2 queries against every key up to and including its scale
        ends = [sum(n * n for n in cfg.patch_nums[:k + 1]) for k in range(len(cfg.patch_nums))]
        pairs = sum(n * n * e for n, e in zip(cfg.patch_nums, ends))
    else:                  # token t attends to the t tokens before it and itself
        pairs = L * (L + 1) // 2
    attn = 2 * 2 * D * pairs * depth                 # QK^T and AV
    dense = 2 * 12 * D * D * L * depth               # qkv, proj and the 4x MLP per token
    return {'attention': 2 * attn, 'total': 2 * (attn + dense)}


def time_sampling(model, vae, B:int, repeats:int) -> float:
    "Median seconds of one sampling call of B images (transformer and sampler, no decoder)."
    generate(model, vae, B, 0, g_seed=0, decode=False, **SAMPLING)
    ts = []
    for _ in range(repeats):
        t = time.perf_counter(); generate(model, vae, B, 0, g_seed=0, decode=False, **SAMPLING); ts.append(time.perf_counter() - t)
    return sorted(ts)[len(ts) // 2]


def slope(xs, ys) -> float:
    "Least-squares slope of log(y) against log(x)."
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def speed(grids, batches, depth:int, repeats:int, plot:str|None) -> dict:
    base = VARConfig.from_depth(depth)
    tok = replace(VQVAEConfig.tiny(), vocab_size=512, ch_mult=(1, 1), num_res_blocks=1)   # only its quantizer runs (no decoding)
    rows = []
    print(f"\n| grid | batch | model | calls | s / image | VAR speed-up | attention GFLOP / image | GFLOP / image |\n|---|---|---|---|---|---|---|---|")
    for n in grids:
        cfg_var = replace(base, patch_nums=SCHEDULES[n], vocab_size=tok.vocab_size, Cvae=tok.z_channels, num_classes=10)
        cfg_arm2 = replace(cfg_var, patch_nums=(n,))
        seed_everything(0)
        models = {'VAR': (VAR(cfg_var).eval(), VQVAE(replace(tok, patch_nums=cfg_var.patch_nums)).eval(), cfg_var, 'scale'),
                  'arm 1': (NextToken(cfg_var).eval(), VQVAE(replace(tok, patch_nums=cfg_var.patch_nums)).eval(), cfg_var, 'token'),
                  'arm 2': (NextToken(cfg_arm2).eval(), VQVAE(replace(tok, patch_nums=(n,))).eval(), cfg_arm2, 'token')}
        for B in batches:
            t = {name: time_sampling(m, v, B, repeats) / B for name, (m, v, c, o) in models.items()}
            for name, (m, v, c, o) in models.items():
                f = flops_per_image(c, o)
                calls = len(c.patch_nums) if o == 'scale' else c.schedule.L
                row = dict(grid=n, batch=B, model=name, calls=calls, seconds_per_image=t[name],
                           speedup_of_var=t[name] / t['VAR'], attention_gflop=f['attention'] / 1e9, gflop=f['total'] / 1e9)
                rows.append(row)
                print(f"| {n}x{n} | {B} | {name} | {calls} | {t[name]:.4f} | {row['speedup_of_var']:.1f}x | "
                      f"{row['attention_gflop']:.3f} | {row['gflop']:.3f} |", flush=True)
    slopes = {}
    if len(grids) > 1:
        print(f"\nslope of log(seconds per image) against log(grid side), batch {batches[0]} (attention FLOPs grow like n^4 for "
              "VAR and for a raster model with a KV cache, n^6 for one without):")
        for name in ('VAR', 'arm 1', 'arm 2'):
            pts = [(r['grid'], r['seconds_per_image'], r['attention_gflop']) for r in rows if r['model'] == name and r['batch'] == batches[0]]
            slopes[name] = {'time': slope([p[0] for p in pts], [p[1] for p in pts]),
                            'attention_flops': slope([p[0] for p in pts], [p[2] for p in pts])}
            print(f"  {name}: time ~ n^{slopes[name]['time']:.2f}, attention FLOPs ~ n^{slopes[name]['attention_flops']:.2f}")
    if plot:
        import matplotlib, matplotlib.ticker; matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for name, mk in (('VAR', 'o-'), ('arm 1', 's--'), ('arm 2', '^-')):
            pts = [(r['grid'], r['seconds_per_image']) for r in rows if r['model'] == name and r['batch'] == batches[0]]
            ax.loglog(*zip(*pts), mk, label=f"{name} (slope {slopes.get(name, {}).get('time', float('nan')):.2f})")
        ax.set_xlabel('final grid side n'); ax.set_ylabel(f'seconds per image (batch {batches[0]})'); ax.legend(fontsize=8)
        ax.set_xticks(grids); ax.set_xticklabels([str(g) for g in grids])
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter()); fig.tight_layout(); fig.savefig(plot, dpi=120)
        print(f"wrote {plot}")
    out = {'rows': rows, 'slopes': slopes}
    b1_16 = {r['model']: r for r in rows if r['grid'] == 16 and r['batch'] == 1}
    if 'arm 2' in b1_16:
        out['speedup_b1_16'] = b1_16['arm 2']['speedup_of_var']
        out['speedup_b1_16_arm1'] = b1_16['arm 1']['speedup_of_var']
        print(f"\nbatch 1, 16x16: VAR is {out['speedup_b1_16']:.1f}x faster than raster arm 2 and {out['speedup_b1_16_arm1']:.1f}x "
              f"faster than arm 1 (speedup_b1_16)")
    return out


def quality(workdir:Path, n_per_class:int) -> dict:
    "VAR (the quickstart recipe) against raster arm 2 trained for the same training FLOPs, judged the same way."
    from varlearn.quickstart import Recipe, train_recipe_tokenizer, train_recipe_var, QUICK_TOKENIZER
    from varlearn.train_var import tokenize, train_var
    from varlearn.evaluate import sample_metrics, load_judges
    recipe = Recipe(device='cpu')
    res = {}
    t = time.perf_counter(); vae, _ = train_recipe_tokenizer(recipe, workdir / 'tokenizer', progress=False); t_tok = time.perf_counter() - t
    t = time.perf_counter(); var, _ = train_recipe_var(recipe, vae, workdir / 'var', progress=False); t_var = time.perf_counter() - t
    # arm 2: the same tokenizer architecture and loop, trained with the one-scale schedule of the same final grid
    side = QUICK_TOKENIZER.patch_nums[-1]
    r2 = replace(recipe, tokenizer=replace(QUICK_TOKENIZER, patch_nums=(side,)))
    t = time.perf_counter(); vae2, _ = train_recipe_tokenizer(r2, workdir / 'tokenizer_1scale', progress=False); t_tok2 = time.perf_counter() - t
    c_var = recipe.var_config(vae.config, 10)
    c_arm2 = recipe.var_config(vae2.config, 10)
    train_flops = lambda c, o: 3 * flops_per_image(c, o)['total'] / 2   # forward + backward, one pass (no guidance doubling)
    ratio = train_flops(c_var, 'scale') / train_flops(c_arm2, 'token')
    steps2 = round(recipe.var_train.steps * ratio)
    ds = r2.dataset(vae2.config.image_size)
    tokens2 = tokenize(vae2, ds, cache=workdir / 'arm2' / 'tokens.safetensors')
    t = time.perf_counter()
    arm2, _ = train_var(c_arm2, vae2, tokens2, replace(recipe.loop('var', False), steps=steps2), workdir / 'arm2',
                        sample_cfg=recipe.cfg, model_cls=NextToken)
    t_arm2 = time.perf_counter() - t
    real = recipe.dataset(vae.config.image_size, train=False)
    judges = load_judges()
    for name, (m, v, steps, secs, tsecs) in {'VAR': (var, vae, recipe.var_train.steps, t_var, t_tok),
                                             'arm 2 (raster)': (arm2, vae2, steps2, t_arm2, t_tok2)}.items():
        t = time.perf_counter()
        mm = sample_metrics(m, v, real, n_per_class=n_per_class, judges=judges, cfg=recipe.cfg, seed=recipe.seed)
        res[name] = {'steps': steps, 'train_seconds': secs, 'tokenizer_seconds': tsecs, 'sample_seconds': time.perf_counter() - t,
                     **{k: mm[k] for k in ('n', 'class_accuracy', 'shape_accuracy', 'fd', 'kid', 'kid_std', 'precision', 'recall')}}
    print(f"\nequal training FLOPs (arm 2 steps = {recipe.var_train.steps} x {ratio:.2f}), {n_per_class * 10} samples each, cfg {recipe.cfg}:")
    print("| model | train steps | train s | class acc | shape acc | FD | KID | precision | recall |\n|---|---|---|---|---|---|---|---|---|")
    for name, m in res.items():
        print(f"| {name} | {m['steps']} | {m['train_seconds']:.0f} | {m['class_accuracy']:.3f} | {m['shape_accuracy']:.3f} | "
              f"{m['fd']:.3f} | {m['kid']:.4f} | {m['precision']:.3f} | {m['recall']:.3f} |")
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true', help='grids 4, 8, 16 and batches 1, 8 (a few minutes on 2 cores)')
    p.add_argument('--grids', type=int, nargs='+', choices=sorted(SCHEDULES), help='final grid sides (default 4 8 16 32)')
    p.add_argument('--batches', type=int, nargs='+', help='batch sizes (default 1 8 64)')
    p.add_argument('--depth', type=int, default=4, help="the models' depth (width 64 x depth, the official rule)")
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--quality', action='store_true', help='also train VAR and raster arm 2 at equal FLOPs and evaluate them (slow)')
    p.add_argument('--workdir', default='runs/var_vs_raster', help='where --quality trains (reruns resume)')
    p.add_argument('--n-per-class', type=int, default=50, help='samples per class for --quality')
    p.add_argument('--json', default='var_vs_raster.json', help='where to write the results')
    p.add_argument('--plot', default=None, help='a PNG of time against grid side (log-log)')
    p.add_argument('--merge', action='store_true', help='keep what the JSON file already holds and replace only what this run measures '
                   '(e.g. rerun the speed part alone, keeping the results of --quality)')
    a = p.parse_args()
    grids = a.grids or ([4, 8, 16] if a.quick else [4, 8, 16, 32])
    batches = a.batches or ([1, 8] if a.quick else [1, 8, 64])
    if any(b < 1 for b in batches) or a.repeats < 1 or a.depth < 1:
        sys.exit("var_vs_raster: --batches, --repeats and --depth must be at least 1")
    command = ' '.join(['python', 'benchmarks/var_vs_raster.py', *sys.argv[1:]])
    out = {'command': command,
           'machine': f"torch {torch.__version__}, {platform.machine()}, {torch.get_num_threads()} threads",
           'depth': a.depth, 'sampling': SAMPLING}
    print(f"var_vs_raster: {out['machine']}, depth {a.depth}, fp32, median of {a.repeats}")
    out.update(speed(grids, batches, a.depth, a.repeats, a.plot))
    if a.quality: out['quality'] = quality(Path(a.workdir), a.n_per_class)
    if a.merge and Path(a.json).is_file():
        prev = json.loads(Path(a.json).read_text())
        out = {**prev, **out, 'commands': prev.get('commands', [prev['command']] if 'command' in prev else []) + [command]}
    Path(a.json).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.json}")


if __name__ == '__main__':
    main()
