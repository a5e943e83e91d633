"The toy run's config for the pipeline tests, and the script `accelerate launch tests/toy_task.py CONFIG` runs (the task itself: `inktrace.train.toy`)."
import sys
from pathlib import Path
from inktrace.train.toy import SlowBatchesCallback  # registers the model and task `toy`


def write_config(folder: Path, epochs=4) -> Path:
    p = Path(folder) / 'toy.yaml'
    p.write_text(f"""
experiment: toy
task: toy
output_dir: {Path(folder) / 'runs'}
model: {{name: toy, base_channels: 8}}
training: {{epochs: {epochs}, batch_size: 8, lr: 3e-3, ema_decay: 0.9, amp: false, device: cpu}}
curriculum: {{every: 1, end: 3}}
visualization: {{every: 1, n_samples: 2}}
stages: {{first: {{}}}}
""")
    return p


if __name__ == '__main__':   # `accelerate launch tests/toy_task.py CONFIG`: one rank's summary line
    import argparse
    from fastai.torch_core import rank_distrib, num_distrib
    from inktrace.train.pipeline import run_stage
    ap = argparse.ArgumentParser()
    ap.add_argument('config'); ap.add_argument('--slow', type=float, default=0); ap.add_argument('--save-every'); ap.add_argument('--time-budget')
    a = ap.parse_args()
    r = run_stage(Path(a.config), 'first', quiet=True, extra_cbs=[SlowBatchesCallback(a.slow)] if a.slow else [], save_every=a.save_every, time_budget=a.time_budget)
    sys.stdout.write(f"RESULT rank={rank_distrib()} world={num_distrib()} run_dir={r.run_dir} epochs={len(r.history)}\n"); sys.stdout.flush()
