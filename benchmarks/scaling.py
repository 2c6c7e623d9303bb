"""Does VAR's loss fall as a power law of its size? The paper's scaling claim (Section 5), measured in miniature.

A benchmark, not a test: it trains the quickstart's tokenizer once (or resumes it from `--workdir`), then VAR at
several depths with the official width rule (width = 64 x depth, heads = depth) for the same number of steps on the
same token pyramids, and measures each model's cross-entropy on held-out images of the built-in data (teacher forced,
the official loss). It fits log(loss) = a + b log(N) over the models' parameter counts N (all parameters, and without
the class and position embeddings, as the paper counts) and prints the exponent and the fit's R^2, per run and for
the last scale alone. The learning rate is the quickstart's (tuned at width 128) times 128 / width by default, as
Adam's best rate falls roughly with the width; `--lr-rule fixed` gives every width the same rate.

    python benchmarks/scaling.py --depths 1 2 3 4 --steps 300   # about 5 minutes on 2 cores
    python benchmarks/scaling.py --depths 2 4 --steps 100 # a smoke test

The paper fits power laws over models of 18M to 2B parameters trained on ImageNet; here the models are 10^5 to 5x10^6
parameters, trained for a fixed number of steps on 10 classes of 32-pixel images, so only the form of the law (a
straight line on log-log axes) is being tested, not the paper's constants.
"""
import argparse, json, math, platform, sys, time
from dataclasses import replace
from pathlib import Path
import torch
from varlearn.model import VAR
from varlearn.quickstart import Recipe, train_recipe_tokenizer
from varlearn.train_var import tokenize, train_var, var_loss_fn

def fit(xs, ys) -> tuple[float, float, float]:
    "Least squares of log y on log x: (intercept, slope, R^2)."
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    sxx = sum((x - mx) ** 2 for x in lx); sxy = sum((x - mx) * (y - my) for x, y in zip(lx, ly))
    b = sxy / sxx; a = my - b * mx
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(lx, ly)); ss_tot = sum((y - my) ** 2 for y in ly)
    return a, b, 1 - ss_res / ss_tot if ss_tot else 1.0

@torch.no_grad()
def held_out_loss(var:VAR, vae, tokens, batch:int=250) -> tuple[float, float]:
    "Mean teacher-forced cross-entropy of held-out token pyramids (the trainer's loss): over all tokens, and the last scale's."
    var.eval()
    loss_fn, last_scale = var_loss_fn(vae), f'loss{var.schedule.S - 1}'
    tot, last, n = 0.0, 0.0, 0
    for i in range(0, len(tokens), batch):
        idx_BL, label_B = tokens.idx_NL[i:i + batch], tokens.label_N[i:i + batch]
        loss, logs = loss_fn(var, (idx_BL, label_B))
        tot += float(loss) * len(idx_BL); last += float(logs[last_scale]) * len(idx_BL); n += len(idx_BL)
    return tot / n, last / n

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--depths', type=int, nargs='+', default=[1, 2, 3, 4], help='transformer depths (width 64 x depth)')
    p.add_argument('--steps', type=int, default=300, help='training steps of every model (the recipe batch of 32)')
    p.add_argument('--lr-rule', choices=('inverse-width', 'fixed'), default='inverse-width',
                   help="the recipe's peak lr (tuned at width 128) scaled by 128 / width, or the same for every width")
    p.add_argument('--workdir', default='runs/scaling', help='where the models train (reruns resume)')
    p.add_argument('--json', default='scaling.json', help='where to write the results')
    p.add_argument('--plot', default=None, help='a PNG of held-out loss against parameters (log-log)')
    a = p.parse_args()
    if len(a.depths) < 2 or min(a.depths) < 1 or a.steps < 1: sys.exit("scaling: give at least two depths >= 1 and --steps >= 1")
    recipe, work = Recipe(device='cpu'), Path(a.workdir)
    t = time.perf_counter(); vae, _ = train_recipe_tokenizer(recipe, work / 'tokenizer', progress=False)
    print(f"tokenizer ready in {time.perf_counter() - t:.0f} s")
    train = tokenize(vae, recipe.dataset(vae.config.image_size), cache=work / 'tokens.safetensors')
    held = tokenize(vae, recipe.dataset(vae.config.image_size, train=False), cache=work / 'tokens_held_out.safetensors')
    rows = []
    for d in a.depths:
        cfg = replace(recipe.var_config(vae.config, 10), depth=d, embed_dim=64 * d, num_heads=d)
        lr = recipe.var_train.lr * (recipe.var_width / cfg.embed_dim if a.lr_rule == 'inverse-width' else 1)
        t = time.perf_counter()
        var, _ = train_var(cfg, vae, train, replace(recipe.loop('var', False), steps=a.steps, lr=lr),
                           work / f'var_d{d}_steps{a.steps}_lr{lr:g}', sample_cfg=recipe.cfg)
        secs = time.perf_counter() - t
        n_all = sum(p.numel() for p in var.parameters())
        n_emb = var.class_emb.weight.numel() + var.pos_1LC.numel() + var.pos_start.numel() + var.lvl_embed.weight.numel()
        loss, last = held_out_loss(var, vae, held)
        rows.append(dict(depth=d, width=64 * d, lr=lr, params=n_all, params_non_embedding=n_all - n_emb, train_seconds=secs,
                         held_out_loss=loss, held_out_loss_last_scale=last))
        print(f"depth {d}: {n_all:,} parameters ({n_all - n_emb:,} without embeddings), held-out loss {loss:.4f} "
              f"(last scale {last:.4f}), {secs:.0f} s", flush=True)
    fits = {}
    for key in ('params', 'params_non_embedding'):
        for target in ('held_out_loss', 'held_out_loss_last_scale'):
            ia, b, r2 = fit([r[key] for r in rows], [r[target] for r in rows])
            fits[f'{target} ~ {key}'] = dict(exponent=b, intercept=ia, r2=r2)
    print(f"\nheld-out cross-entropy against parameters, {a.steps} steps of {recipe.var_train.batch_size} each:")
    print("| depth | width | parameters | non-embedding | held-out loss | last scale | train s |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['depth']} | {r['width']} | {r['params']:,} | {r['params_non_embedding']:,} | {r['held_out_loss']:.4f} | "
              f"{r['held_out_loss_last_scale']:.4f} | {r['train_seconds']:.0f} |")
    print("\n| fit | exponent | R^2 |\n|---|---|---|")
    for k, f in fits.items(): print(f"| log {k} | {f['exponent']:.3f} | {f['r2']:.3f} |")
    out = dict(command=' '.join(['python', 'benchmarks/scaling.py', *sys.argv[1:]]),
               machine=f"torch {torch.__version__}, {platform.machine()}, {torch.get_num_threads()} threads",
               steps=a.steps, batch_size=recipe.var_train.batch_size, lr_rule=a.lr_rule, rows=rows, fits=fits)
    Path(a.json).write_text(json.dumps(out, indent=1))
    print(f"wrote {a.json}")
    if a.plot:
        import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(4.5, 3.2))
        xs, ys = [r['params_non_embedding'] for r in rows], [r['held_out_loss'] for r in rows]
        f = fits['held_out_loss ~ params_non_embedding']
        ax.loglog(xs, ys, 'o', label='held-out loss')
        ax.loglog(xs, [math.exp(f['intercept']) * x ** f['exponent'] for x in xs], '-', label=f"fit: N^{f['exponent']:.3f}, R^2 {f['r2']:.2f}")
        ax.set_xlabel('parameters without embeddings'); ax.set_ylabel('cross-entropy'); ax.legend(fontsize=8)
        fig.tight_layout(); fig.savefig(a.plot, dpi=100); plt.close(fig)
        print(f"wrote {a.plot}")

if __name__ == '__main__':
    main()
