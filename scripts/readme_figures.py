"""Render the pictures the README shows, from the library's own plotting functions: `python scripts/readme_figures.py`."""
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from varlearn.scales import ScaleSchedule, plot_token_pyramid
from varlearn.mask import plot_mask
from varlearn.data import Shapes, plot_class_grid

out = Path(__file__).resolve().parents[1]/'images'
out.mkdir(exist_ok=True)
fig = plot_token_pyramid(ScaleSchedule.small())
fig.savefig(out/'token_pyramid.png', dpi=110, bbox_inches='tight')
ax = plot_mask(ScaleSchedule.small())
ax.figure.savefig(out/'block_causal_mask.png', dpi=110, bbox_inches='tight')
fig = plot_class_grid(Shapes(200, size=32, seed=0), per_class=6)
fig.savefig(out/'shapes.png', dpi=80, bbox_inches='tight')
print(f"wrote token_pyramid.png, block_causal_mask.png and shapes.png to {out}")
