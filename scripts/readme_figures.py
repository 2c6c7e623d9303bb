"""Render the pictures the README shows, from the library's own plotting functions: `python scripts/readme_figures.py`."""
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from varlearn.scales import ScaleSchedule, plot_token_pyramid
from varlearn.mask import plot_mask

out = Path(__file__).resolve().parents[1]/'images'
out.mkdir(exist_ok=True)
fig = plot_token_pyramid(ScaleSchedule.small())
fig.savefig(out/'token_pyramid.png', dpi=110, bbox_inches='tight')
ax = plot_mask(ScaleSchedule.small())
ax.figure.savefig(out/'block_causal_mask.png', dpi=110, bbox_inches='tight')
print(f"wrote {out/'token_pyramid.png'} and {out/'block_causal_mask.png'}")
