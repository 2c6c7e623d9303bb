"""A local HTML preview of the book, from the outputs stored in the notebooks, without Quarto.

nbdev's own docs processing (`proc_nbs`, as `nbdev-proc-nbs`: the `show_doc` API entries of every exported function, the directives)
writes `_proc/`; nbconvert turns each processed chapter into `_preview/<chapter>.html`, with the parts of
`nbs/sidebar.yml` as the index and a previous/next bar on every page. The docs site (`.github/workflows/deploy.yaml`)
renders the same processed notebooks with Quarto.

    python scripts/preview.py              # then open _preview/index.html
    MATHJAX_URL=file:///path/to/MathJax.js python scripts/preview.py    # equations without internet
"""
import html, os, re, sys
from pathlib import Path
import nbformat, yaml
from nbconvert import HTMLExporter
from nbdev.serve import proc_nbs

ROOT = Path(__file__).resolve().parents[1]
PROC, OUT = ROOT/'_proc', ROOT/'_preview'
_ATTRS = re.compile(r'\{(?:target|style|\.)[^{}\n]*\}')   # Quarto's link attributes, {target="_blank" ...}

def _directives(src:str) -> dict:
    "nbdev's `#| key: value` lines at the top of a cell."
    out = {}
    for line in src.splitlines():
        if not line.startswith('#|'): break
        k, _, v = line[2:].strip().partition(':')
        out[k.strip()] = v.strip().lower() or 'true'
    return out

def _front_matter(nb) -> dict:
    "The Quarto front matter nbdev puts in a raw first cell (title, description)."
    cell = nb.cells[0] if nb.cells else None
    if cell is None or cell.cell_type != 'raw' or not cell.source.startswith('---'): return {}
    return yaml.safe_load(cell.source.strip().strip('-')) or {}

def _prepare(nb):
    "Hide what Quarto hides (`echo: false`, `include: false`, `hide`), drop the directive lines, clean Quarto markup."
    fm, cells = _front_matter(nb), []
    if fm: cells.append(nbformat.v4.new_markdown_cell(f"# {fm.get('title', '')}\n\n> {fm.get('description', '')}"))
    for cell in nb.cells:
        if cell.cell_type == 'raw': continue                 # the front matter, shown above as a title
        cell.metadata.pop('execution', None)   # execnb's timings, which nbformat's schema refuses
        d = _directives(cell.source)
        if d.get('include') == 'false' or 'hide' in d: continue
        if cell.cell_type == 'code':
            cell.source = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|')).strip('\n')
            if d.get('echo') == 'false': cell.metadata['transient'] = {'remove_source': True}
            for o in cell.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')
                if md is not None: o['data']['text/markdown'] = _ATTRS.sub('', md)
        cells.append(cell)
    nb.cells = cells
    return nb

def _chapters() -> list[tuple[str, list[str]]]:
    "The sidebar's sections: (title, notebooks)."
    out = []
    for item in yaml.safe_load((ROOT/'nbs'/'sidebar.yml').read_text())['website']['sidebar']['contents']:
        if isinstance(item, str): out.append(('', [item]))
        else: out.append((item['section'], item['contents']))
    return out

def _title(nb) -> str:
    if (t := _front_matter(nb).get('title')): return t
    for cell in nb.cells:
        m = re.search(r'^# (.+)$', cell.source, re.M) if cell.cell_type == 'markdown' else None
        if m: return m.group(1).strip()
    return ''

def main():
    os.chdir(ROOT)
    proc_nbs(n_workers=0)   # what nbdev-proc-nbs does, without its attempt to install Quarto
    OUT.mkdir(exist_ok=True)
    exporter = HTMLExporter(template_name='lab', exclude_input_prompt=True, exclude_output_prompt=True)
    if os.environ.get('MATHJAX_URL'): exporter.mathjax_url = os.environ['MATHJAX_URL']
    order = [(sec, f) for sec, fs in _chapters() for f in fs]
    titles = {}
    for i, (_, f) in enumerate(order):
        nb = nbformat.read(PROC/f, as_version=4)
        titles[f] = _title(nb) or f
        body, _ = exporter.from_notebook_node(_prepare(nb))
        link = lambda j, label: (f'<a href="{Path(order[j][1]).stem}.html">{label}</a>' if 0 <= j < len(order) else '')
        bar = (f'<nav style="font:14px sans-serif;padding:8px 16px;border-bottom:1px solid #ddd">'
               f'<a href="index.html">varlearn</a> &middot; {link(i - 1, "&larr; previous")} &middot; {link(i + 1, "next &rarr;")}</nav>')
        (OUT/f'{Path(f).stem}.html').write_text(re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + bar, body, count=1),
                                                encoding='utf-8')
    items = []
    for sec, fs in _chapters():
        if sec: items.append(f'<h2>{html.escape(sec)}</h2>')
        items.append('<ul>' + ''.join(f'<li><a href="{Path(f).stem}.html">{Path(f).stem}</a>: {html.escape(titles[f])}</li>' for f in fs) + '</ul>')
    (OUT/'index.html').write_text('<!doctype html><meta charset="utf-8"><title>varlearn</title>'
                                  '<body style="font:16px sans-serif;max-width:760px;margin:2em auto">'
                                  '<h1>varlearn: the book</h1>' + ''.join(items) + '</body>', encoding='utf-8')
    print(f"{len(order)} chapters: open {OUT/'index.html'}")

if __name__ == '__main__': sys.exit(main())
