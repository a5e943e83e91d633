"A toy training task for the pipeline tests: a small CNN cleans noisy blob images (items drawn from torch's RNG)."
import sys, time, torch, torch.nn as nn
from fastai.callback.core import Callback
from pathlib import Path
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader
from inktrace.registry import register_model, register_task, Task


class ToyDS(torch.utils.data.Dataset):
    def __init__(self, n=32, sz=16): self.n, self.sz, self.stage = n, sz, 0
    def __len__(self): return self.n
    def __getitem__(self, i):
        y = (torch.rand(1, self.sz, self.sz) > 0.7).float()
        return y + (0.2 + 0.1 * self.stage) * torch.randn(1, self.sz, self.sz), y


@register_model('toy')
class ToyNet(nn.Sequential):
    "Two convs: the smallest model that learns to clean the blobs."
    def __init__(self, base_channels: int = 8):
        super().__init__(nn.Conv2d(1, base_channels, 3, padding=1), nn.ReLU(), nn.Conv2d(base_channels, 1, 3, padding=1))


@register_task('toy')
def toy_task(cfg):
    "A second registered task beside `dense_heads`: its own model, data and loss, trained by the same system."
    dls = DataLoaders(DataLoader(ToyDS(32), bs=cfg.training.batch_size, shuffle=True), DataLoader(ToyDS(16), bs=8), device='cpu')
    return Task(ToyNet(**{k: v for k, v in cfg.model.items() if k != 'name'}), dls, nn.MSELoss())


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


class SlowBatches(Callback):
    "Sleep after each training batch (a long epoch, for tests that stop a run in the middle of one)."
    def __init__(self, secs: float): self.secs = secs
    def after_batch(self):
        if self.training: time.sleep(self.secs)


if __name__ == '__main__':   # `accelerate launch tests/toy_task.py CONFIG`: one rank's summary line
    import argparse
    from fastai.torch_core import rank_distrib, num_distrib
    from inktrace.train.pipeline import run_stage
    ap = argparse.ArgumentParser()
    ap.add_argument('config'); ap.add_argument('--slow', type=float, default=0); ap.add_argument('--save-every'); ap.add_argument('--time-budget')
    a = ap.parse_args()
    r = run_stage(Path(a.config), 'first', quiet=True, extra_cbs=[SlowBatches(a.slow)] if a.slow else [], save_every=a.save_every, time_budget=a.time_budget)
    sys.stdout.write(f"RESULT rank={rank_distrib()} world={num_distrib()} run_dir={r.run_dir} epochs={len(r.history)}\n"); sys.stdout.flush()
