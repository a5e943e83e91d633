"Training system checks that belong outside a notebook: exact resume, two processes under accelerate, bad input."
import os, re, shutil, subprocess, sys
from pathlib import Path
import numpy as np, pytest, torch
from fastai.callback.core import Callback
from inktrace.train.callbacks import global_epoch
from inktrace.train.pipeline import run_stage, load_checkpoint, CheckpointError
from inktrace.train.config import ConfigError

sys.path.insert(0, str(Path(__file__).parent))
from toy_task import toy_task, write_config


class StopAfter(Callback):
    order = 100
    def __init__(self, n): self.n = n
    def after_epoch(self):
        if global_epoch(self.learn) + 1 == self.n: raise KeyboardInterrupt


def test_resume_is_exact(tmp_path):
    "4 epochs straight == 2 epochs, interrupted, then --resume for 2: same per-epoch losses and final weights."
    cfg = write_config(tmp_path, epochs=4)
    straight = run_stage(cfg, 'first', build_task=toy_task, quiet=True)
    with pytest.raises(KeyboardInterrupt): run_stage(cfg, 'first', build_task=toy_task, quiet=True, extra_cbs=[StopAfter(2)])
    last = tmp_path / 'runs' / 'toy' / 'first' / 'v2' / 'checkpoints' / 'last.ckpt'
    assert load_checkpoint(last)['epoch'] == 2
    resumed = run_stage(resume=last, build_task=toy_task, quiet=True)
    a = np.array([(h['train_loss'], h['valid_loss'], h['stage']) for h in straight.history])
    b = np.array([(h['train_loss'], h['valid_loss'], h['stage']) for h in resumed.history])
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)
    w1, w2 = load_checkpoint(straight.run_dir / 'checkpoints' / 'last.ckpt')['model'], load_checkpoint(last)['model']
    for k in w1: torch.testing.assert_close(w1[k], w2[k], rtol=0, atol=1e-6)


def test_two_cpu_processes(tmp_path):
    "accelerate launch with 2 CPU processes (gloo): both train, one run folder, one set of checkpoints."
    if not shutil.which('accelerate'): pytest.skip("accelerate's launcher is not on PATH")
    cfg = write_config(tmp_path, epochs=2)
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHONPATH': str(Path(__file__).parent)}
    r = subprocess.run(['accelerate', 'launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1', '--mixed_precision', 'no',
                        '--dynamo_backend', 'no', str(Path(__file__).parent / 'toy_task.py'), str(cfg)],
                       capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    found = re.findall(r"RESULT rank=(\d+) world=(\d+) run_dir=(\S+) epochs=(\d+)", r.stdout)   # the two ranks' lines may interleave
    assert r.returncode == 0 and len(found) == 2, r.stdout[-2000:] + r.stderr[-3000:]
    assert {w for _, w, _, _ in found} == {'2'} and len({d for _, _, d, _ in found}) == 1 and {k for k, _, _, _ in found} == {'0', '1'}
    runs = list((tmp_path / 'runs' / 'toy' / 'first').iterdir())
    assert len(runs) == 1, runs
    ckpts = sorted(p.name for p in (runs[0] / 'checkpoints').iterdir())
    assert 'last.ckpt' in ckpts and len([c for c in ckpts if c.startswith('epoch')]) == 2
    assert load_checkpoint(runs[0] / 'checkpoints' / 'last.ckpt')['epoch'] == 2


def test_bad_input_leaves_checkpoints_alone(tmp_path):
    cfg = write_config(tmp_path, epochs=1)
    r = run_stage(cfg, 'first', build_task=toy_task, quiet=True)
    snapshot = {p: p.read_bytes() for p in (tmp_path / 'runs').rglob('*') if p.is_file()}
    bad = tmp_path / 'bad.ckpt'; bad.write_bytes(b'\x00garbage')
    with pytest.raises(CheckpointError, match='not a readable checkpoint'): run_stage(resume=bad, build_task=toy_task)
    with pytest.raises(ConfigError, match='exclude each other'): run_stage(cfg, 'first', resume=bad, init_from=bad)
    with pytest.raises(ConfigError, match="unknown stage 'nope'"): run_stage(cfg, 'nope', build_task=toy_task)
    with pytest.raises(ConfigError, match='config file not found'): run_stage(tmp_path / 'missing.yaml', 'first', build_task=toy_task)
    with pytest.raises(CheckpointError, match='already finished'): run_stage(resume=r.run_dir / 'checkpoints' / 'last.ckpt', build_task=toy_task)
    assert {p: p.read_bytes() for p in (tmp_path / 'runs').rglob('*') if p.is_file()} == snapshot
