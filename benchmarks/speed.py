"""Speed of varlearn's exact path (float32) and fast path (bfloat16 autocast, channels-last decoder), and of the
official code on the same weights.

A benchmark, not a test: it prints a Markdown table (and writes it with --out, and JSON with --json). The weights are
random (nothing is downloaded); speed does not depend on their values. With --official DIR (an unpacked checkout of
FoundationVision/VAR) the official models are built from DIR, given varlearn's weights, checked to draw the same tokens
as varlearn's exact path, and timed alternately with varlearn; the table then shows each time as a ratio of the
official float32 time.

    python benchmarks/speed.py --configs tiny                      # about a minute on 2 cores
    python benchmarks/speed.py --configs tiny d8 d16 --out speed.md
    python benchmarks/speed.py --official ~/src/VAR --json speed.json

Rows: `sample` (tokens and decoder), `tokens` (the transformer part: the sampler without the decoder), `decode` (the
decoder alone), `train` (one AdamW step of the transformer on teacher-forcing input, with its peak memory). Sampling
uses the official demo settings (cfg 1.5, top-k 900, top-p 0.96). Time one benchmark at a time, on an otherwise idle
machine: two processes that share a core slow each other down many times over.
"""
import argparse, copy, json, os, platform, sys, time, types
from contextlib import contextmanager
import torch
import torch.nn.functional as F
from varlearn.core import resolve_device, seed_everything, autocast_dtype
from varlearn.model import VAR, VARConfig, var_loss, official_state_dict
from varlearn.sample import generate
from varlearn.vqvae import VQVAE, VQVAEConfig

TINY_PN = (1, 2, 3, 4, 6, 8)
CONFIGS = {  # name -> (tokenizer, transformer, train batch): all three follow the official architecture and scaling rule
    'tiny': (lambda: VQVAEConfig(vocab_size=512, z_channels=16, ch=32, patch_nums=TINY_PN),
             lambda: VARConfig.from_depth(4, patch_nums=TINY_PN, vocab_size=512, Cvae=16, num_classes=10), 16),
    'd8': (VQVAEConfig.official, lambda: VARConfig.from_depth(8), 4),
    'd16': (VQVAEConfig.official, VARConfig.d16, 2),
}
SAMPLING = dict(cfg=1.5, top_k=900, top_p=0.96)   # top-k is capped at the vocabulary size

def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize()

def alternate(fns:dict, dev, repeats:int) -> dict:
    "Median seconds of each function, timed in turns that rotate who goes first (one warm-up call each first), so drifts hit every one alike."
    for fn in fns.values(): fn(); sync(dev)
    times, names = {k: [] for k in fns}, list(fns)
    for r in range(repeats):
        for k in names[r % len(names):] + names[:r % len(names)]:   # each goes first in turn
            fn = fns[k]
            t = time.perf_counter(); fn(); sync(dev); times[k].append(time.perf_counter() - t)
    return {k: sorted(v)[len(v) // 2] for k, v in times.items()}

@contextmanager
def peak_memory(dev, out:dict):
    "Peak memory of the block, in GiB: allocated CUDA memory on a GPU, the process's peak resident set on Linux."
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
    elif os.path.exists('/proc/self/clear_refs'):
        try: open('/proc/self/clear_refs', 'w').write('5')       # resets VmHWM, the peak resident set size
        except OSError: pass
    yield
    if dev.type == 'cuda': out['peak_gib'] = torch.cuda.max_memory_allocated(dev) / 2**30
    elif os.path.exists('/proc/self/status'):
        hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))
        out['peak_gib'] = int(hwm.split()[1]) / 2**20

def official_models(src:str, vae:VQVAE, var:VAR, dev):
    "The official VQVAE and VAR, built from the checkout at `src` with the same configuration and weights."
    sys.path.insert(0, os.path.abspath(src))
    if 'huggingface_hub' not in sys.modules:
        try: import huggingface_hub  # noqa: F401  (the official models import it only for a hub mixin)
        except ImportError:
            sys.modules['huggingface_hub'] = types.SimpleNamespace(PyTorchModelHubMixin=type('PyTorchModelHubMixin', (), {}))
    from models.vqvae import VQVAE as OVQVAE
    from models.var import VAR as OVAR
    vc, mc = vae.config, var.config
    ovae = OVQVAE(vocab_size=vc.vocab_size, z_channels=vc.z_channels, ch=vc.ch, using_znorm=vc.using_znorm,
                  quant_resi=vc.quant_resi, share_quant_resi=vc.share_quant_resi, v_patch_nums=vc.patch_nums, test_mode=True)
    ovae.load_state_dict(vae.state_dict(), strict=True)
    ovar = OVAR(ovae, num_classes=mc.num_classes, depth=mc.depth, embed_dim=mc.embed_dim, num_heads=mc.num_heads,
                drop_path_rate=mc.drop_path_rate, norm_eps=mc.norm_eps, shared_aln=mc.shared_aln, attn_l2_norm=mc.attn_l2_norm,
                patch_nums=mc.patch_nums, flash_if_available=False, fused_if_available=False)
    ovar.load_state_dict(official_state_dict(var), strict=True)
    return ovae.to(dev).eval(), ovar.to(dev).eval()

class _NoDecode:
    "Stands in for the official tokenizer in `vae_proxy`: returns f-hat undecoded, to time the transformer part."
    def fhat_to_img(self, f): return f

def bench(name:str, dev, repeats:int, batches, official:str|None, rows=('sample', 'tokens', 'decode', 'train')):
    "Yield result rows for one configuration."
    vcfg, mcfg, train_B = CONFIGS[name][0](), CONFIGS[name][1](), CONFIGS[name][2]
    seed_everything(0)
    vae, var = VQVAE(vcfg).to(dev).eval(), VAR(mcfg).to(dev).eval()
    kw = {**SAMPLING, 'top_k': min(SAMPLING['top_k'], vcfg.vocab_size)}
    ovae = ovar = None
    if official:
        ovae, ovar = official_models(official, vae, var, dev)
        real, ovar.vae_proxy = ovar.vae_proxy, (_NoDecode(),)
        with torch.no_grad():   # the official sampler does not return its tokens: compare the undecoded f-hat instead
            theirs = ovar.autoregressive_infer_cfg(2, 0, g_seed=0, **kw).mul(2).sub(1)
        ovar.vae_proxy = real
        same = torch.allclose(generate(var, vae, 2, 0, g_seed=0, decode=False, **kw), theirs, atol=1e-4)
        print(f"{name}: official and varlearn (exact) sample the same f-hat from the same weights and seed: {same}", flush=True)
    for B in batches:
        for what in [w for w in ('sample', 'tokens') if w in rows]:
            fns = {p: (lambda p=p: generate(var, vae, B, 0, g_seed=0, precision=p, decode=what == 'sample', **kw))
                   for p in ('fp32', 'auto')}
            if ovar is not None:
                def off(what=what):
                    real = ovar.vae_proxy
                    if what == 'tokens': ovar.vae_proxy = (_NoDecode(),)
                    try:
                        with torch.no_grad(): return ovar.autoregressive_infer_cfg(B, 0, g_seed=0, **kw)
                    finally: ovar.vae_proxy = real
                fns['official'] = off
            yield name, f'{what} B={B}', alternate(fns, dev, repeats)
        if 'decode' not in rows: continue
        fhat = generate(var, vae, B, 0, g_seed=0, decode=False, **kw)
        fns = {p: (lambda p=p: vae.fhat_to_img(fhat, p)) for p in ('fp32', 'auto')}
        if ovae is not None: fns['official'] = lambda: ovae.fhat_to_img(fhat)
        with torch.no_grad(): yield name, f'decode B={B}', alternate(fns, dev, repeats)

    if 'train' not in rows: return
    sched = mcfg.schedule
    g = torch.Generator(device='cpu').manual_seed(0)
    idx = [torch.randint(0, mcfg.vocab_size, (train_B, n), generator=g).to(dev) for n in sched.token_counts]
    with torch.no_grad(): x = vae.quantize.teacher_forcing_input(idx)
    label = torch.zeros(train_B, dtype=torch.long, device=dev)
    target = torch.cat(idx, dim=1)
    def step_of(model, amp, official_model=False):
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
        def step():
            with torch.autocast(dev.type, dtype=amp, enabled=amp is not None):
                logits = model(label, x)
            loss = (F.cross_entropy(logits.float().view(-1, logits.shape[-1]), target.view(-1)) if official_model
                    else var_loss(logits, idx, sched)[0])
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        return step
    var.train()   # each path trains its own copy (with one shared model the fp32 step measured 1.3x the official, with copies 1.02x)
    fns = {'fp32': step_of(var, None), 'auto': step_of(copy.deepcopy(var), autocast_dtype(dev, 'auto'))}
    if ovar is not None: ovar.train(); fns['official'] = step_of(ovar, None, official_model=True)
    times = alternate(fns, dev, repeats)
    memory = {}
    for k, fn in fns.items():
        out = {}
        with peak_memory(dev, out): fn(); sync(dev)
        if 'peak_gib' in out: memory[k] = out['peak_gib']
    yield name, f'train B={train_B}', times, memory

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--configs', nargs='+', default=['tiny', 'd8', 'd16'], choices=list(CONFIGS))
    p.add_argument('--batches', type=int, nargs='+', default=[1, 8], help='sampling batch sizes')
    p.add_argument('--repeats', type=int, default=3, help='timed runs of each (the median is shown)')
    p.add_argument('--rows', nargs='+', default=['sample', 'tokens', 'decode', 'train'], choices=['sample', 'tokens', 'decode', 'train'])
    p.add_argument('--official', metavar='DIR', help='an unpacked checkout of FoundationVision/VAR to time beside varlearn')
    p.add_argument('--device', default=None)
    p.add_argument('--out', help='also write the table to this Markdown file')
    p.add_argument('--json', help='also write the results to this JSON file')
    a = p.parse_args()
    if a.official and not os.path.isfile(os.path.join(a.official, 'models', 'var.py')):
        p.error(f"--official {a.official!r} is not an unpacked FoundationVision/VAR checkout (no models/var.py in it)")
    dev = resolve_device(a.device)
    fast = autocast_dtype(dev, 'auto')
    head = (f"varlearn speed: torch {torch.__version__}, {dev}"
            f"{' (' + torch.cuda.get_device_name(dev) + ')' if dev.type == 'cuda' else ''}, {torch.get_num_threads()} threads, "
            f"{platform.processor() or platform.machine()}; fast path = {fast or 'float32 (no bfloat16 here)'}; "
            f"median of {a.repeats}, seconds")
    cols = ['exact fp32', 'fast'] + (['official fp32', 'exact / official', 'fast / official'] if a.official else ['fast / exact'])
    lines = [head, '', '| config | what | ' + ' | '.join(cols) + ' | peak memory (GiB: exact, fast' + (', official' if a.official else '') + ') |',
             '|---|---|' + '---|' * (len(cols) + 1)]
    print('\n'.join(lines), flush=True)
    results = []
    for name in a.configs:
        for row in bench(name, dev, a.repeats, a.batches, a.official, a.rows):
            cfg, what, t = row[:3]
            mem = row[3] if len(row) > 3 else {}
            cells = [f"{t['fp32']:.3f}", f"{t['auto']:.3f}"]
            cells += ([f"{t['official']:.3f}", f"{t['fp32'] / t['official']:.2f}", f"{t['auto'] / t['official']:.2f}"]
                      if 'official' in t else [f"{t['auto'] / t['fp32']:.2f}"])
            memo = ', '.join(f"{mem[k]:.2f}" for k in ('fp32', 'auto', 'official') if k in mem) or ''
            lines.append(f"| {cfg} | {what} | " + ' | '.join(cells) + f" | {memo} |"); print(lines[-1], flush=True)
            results.append(dict(config=cfg, what=what, seconds=t, peak_gib=mem))
    if a.out: open(a.out, 'w').write('\n'.join(lines) + '\n'); print(f'wrote {a.out}')
    if a.json:
        json.dump(dict(header=head, results=results), open(a.json, 'w'), indent=1); print(f'wrote {a.json}')

if __name__ == '__main__': main()
