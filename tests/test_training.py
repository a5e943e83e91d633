"Training system checks that belong outside a notebook: exact resume, two processes under accelerate, bad input."
import json, os, re, shutil, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest, torch
from fastai.callback.core import Callback
from inktrace.train.callbacks import global_epoch
from inktrace.train.pipeline import run_stage, load_checkpoint, CheckpointError
from inktrace.train.config import ConfigError
from inktrace.train.toy import toy_task, SlowBatchesCallback

sys.path.insert(0, str(Path(__file__).parent))
from toy_task import write_config


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


def _history(r):
    return np.array([(h['train_loss'], h['valid_loss'], h['stage']) for h in r.history])


def _same_weights(a, b):
    w1, w2 = load_checkpoint(a)['model'], load_checkpoint(b)['model']
    for k in w1: torch.testing.assert_close(w1[k], w2[k], rtol=0, atol=1e-6)


def test_budget_stop_then_resume_is_exact(tmp_path):
    "A run stopped by its time budget in the middle of an epoch, then resumed, gives the uninterrupted run's losses and weights."
    cfg = write_config(tmp_path, epochs=4)
    straight = run_stage(cfg, 'first', build_task=toy_task, quiet=True)
    stopped = run_stage(cfg, 'first', build_task=toy_task, quiet=True, extra_cbs=[SlowBatchesCallback(0.15)], time_budget='1s')
    last = stopped.run_dir / 'checkpoints' / 'last.ckpt'
    ck = load_checkpoint(last)
    assert stopped.stopped == 'budget' and ck['reason'] == 'budget' and ck['epoch'] < 4
    assert f"--resume {last.resolve()} --time-budget 1s" in stopped.resume_command
    status = json.loads((stopped.run_dir / 'status.json').read_text())
    assert status['status'] == 'stopped (budget)' and status['step'] == ck['step'] == 4 * ck['epoch'] + ck['batch']
    resumed = run_stage(resume=last, build_task=toy_task, quiet=True, time_budget='10m')
    assert resumed.stopped is None and json.loads((stopped.run_dir / 'status.json').read_text())['status'] == 'finished'
    np.testing.assert_allclose(_history(straight), _history(resumed), rtol=0, atol=1e-6)
    _same_weights(straight.run_dir / 'checkpoints' / 'last.ckpt', last)


def test_sigkill_mid_epoch_then_resume_is_exact(tmp_path):
    "SIGKILL in the middle of an epoch (a subprocess with --save-every), then --resume from the last periodic checkpoint: the uninterrupted run's losses."
    cfg = write_config(tmp_path, epochs=3)
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHONPATH': str(Path(__file__).parent)}
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / 'toy_task.py'), str(cfg), '--slow', '0.25', '--save-every', '0.4s'],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    last, t0, ck = None, time.time(), None
    try:
        while time.time() - t0 < 120 and proc.poll() is None:              # wait for a mid-epoch periodic checkpoint, then kill at once
            found = list((tmp_path / 'runs').rglob('last.ckpt'))
            if found:
                try: ck = load_checkpoint(found[0])
                except CheckpointError: ck = None                           # (cannot happen: the write is atomic; kept for the message)
                if ck is not None and ck['batch'] > 0 and ck['epoch'] >= 1:
                    proc.send_signal(signal.SIGKILL); last = found[0]; break
            time.sleep(0.02)
    finally:
        if proc.poll() is None: proc.kill()
        out, err = proc.communicate(timeout=60)
    assert last is not None, f"no mid-epoch checkpoint appeared: {err.decode()[-2000:]}"
    assert proc.returncode == -signal.SIGKILL
    ck = load_checkpoint(last)
    assert ck['reason'] == 'periodic' and 0 < ck['batch'] < 4, (ck['reason'], ck['epoch'], ck['batch'])
    assert json.loads((last.parent.parent / 'status.json').read_text())['status'] == 'running'   # the killed run could not say otherwise
    resumed = run_stage(resume=last, build_task=toy_task, quiet=True)
    straight = run_stage(cfg, 'first', build_task=toy_task, quiet=True)
    np.testing.assert_allclose(_history(straight), _history(resumed), rtol=0, atol=1e-6)
    _same_weights(straight.run_dir / 'checkpoints' / 'last.ckpt', last)


_HALF_WRITE = '''
import os, signal, sys, torch
import inktrace.train.checkpoint as C
real_save = torch.save
def half_save(d, f):                  # write half of the bytes, then die as if killed
    import io; b = io.BytesIO(); real_save(d, b); data = b.getvalue()
    f.write(data[:len(data) // 2]); f.flush(); os.kill(os.getpid(), signal.SIGKILL)
C.torch.save = half_save
C.save_checkpoint({'format': C.CKPT_FORMAT, 'model': {'w': torch.ones(1000)}, 'epoch': 2}, sys.argv[1])
'''


def test_checkpoint_write_killed_halfway_keeps_previous(tmp_path):
    "A checkpoint write killed half-way (SIGKILL) leaves the previous checkpoint whole and loadable."
    from inktrace.train.checkpoint import save_checkpoint, CKPT_FORMAT
    path = tmp_path / 'last.ckpt'
    save_checkpoint({'format': CKPT_FORMAT, 'model': {'w': torch.zeros(1000)}, 'epoch': 1}, path)
    r = subprocess.run([sys.executable, '-c', _HALF_WRITE, str(path)], capture_output=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()[-2000:]
    tmp = path.with_name(path.name + '.tmp')
    assert tmp.exists() and 0 < tmp.stat().st_size                       # the half-written file is there, beside the intact one
    d = load_checkpoint(path)
    assert d['epoch'] == 1 and torch.equal(d['model']['w'], torch.zeros(1000))
    with pytest.raises(CheckpointError, match='not a readable checkpoint'): load_checkpoint(tmp)
    save_checkpoint({'format': CKPT_FORMAT, 'model': {'w': torch.ones(3)}, 'epoch': 3}, path)      # the next save replaces the leftover
    assert load_checkpoint(path)['epoch'] == 3 and not tmp.exists()


@pytest.mark.parametrize('argv, flag', [(['--time-budget', '5x'], '--time-budget'), (['--time-budget', '-5'], '--time-budget'),
                                        (['--time-budget=-2m'], '--time-budget'), (['--save-every', '0'], '--save-every'),
                                        (['--save-every', 'soon'], '--save-every')])
def test_bad_clock_flags_one_line(tmp_path, capsys, argv, flag):
    "Bad --time-budget / --save-every values: exit 2 and one line naming the flag, before any run folder is made."
    from inktrace.cli import main
    cfg = write_config(tmp_path, epochs=1)
    assert main(['train', '--config', str(cfg), '--stage', 'first'] + argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"inktrace: error: {flag}: expected a duration"), err
    assert not (tmp_path / 'runs').exists()


def test_bad_clock_config_names_key(tmp_path):
    cfg = write_config(tmp_path, epochs=1)
    cfg.write_text(cfg.read_text().replace('device: cpu}', 'device: cpu, time_budget: 5x}'))
    with pytest.raises(ConfigError, match=r"toy.yaml: key training.time_budget: expected a duration .* got '5x'"): run_stage(cfg, 'first', build_task=toy_task)


def test_status_command(tmp_path, capsys):
    "`inktrace train --status RUN_DIR` prints where a run is and how to continue it."
    from inktrace.cli import main
    cfg = write_config(tmp_path, epochs=3)
    r = run_stage(cfg, 'first', build_task=toy_task, quiet=True, extra_cbs=[SlowBatchesCallback(0.1)], time_budget='0.5s')
    assert main(['train', '--status', str(r.run_dir)]) == 0
    out = capsys.readouterr().out
    assert 'status    stopped (budget)' in out and f"continue  inktrace train --resume {(r.run_dir / 'checkpoints' / 'last.ckpt').resolve()}" in out
    assert main(['train', '--status', str(tmp_path / 'runs')]) == 0 and 'stopped (budget)' in capsys.readouterr().out   # every run below a folder
    assert main(['train', '--status', str(tmp_path / 'nope')]) == 2
    assert 'no such folder' in capsys.readouterr().err


def test_zh_finetune_tiny_twin(tmp_path):
    "configs/zh.yaml (the Chinese dense model's fine-tune) for 2 batches on the bundled Make Me a Hanzi samples, from the shipped dense_v5: losses finite, weights moved, the data source recorded."
    from inktrace.data.hanzi import sample_dir
    from inktrace.trace.tracer import default_model_path
    ROOT = Path(__file__).resolve().parents[1]
    ov = ['training.epochs=1', 'training.n_batches=2', 'training.batch_size=4', 'data.n_valid=4', f'data.root={sample_dir()}',
          f'output_dir={tmp_path}', 'visualization.tensorboard=false']
    r = run_stage(ROOT / 'configs' / 'zh.yaml', 'zh', ov, init_from=str(default_model_path('ja')), quiet=True)
    assert np.isfinite(r.history[-1]['train_loss']) and np.isfinite(r.history[-1]['valid_loss'])
    ck = load_checkpoint(r.run_dir / 'checkpoints' / 'last.ckpt')
    from safetensors.torch import load_file
    v5 = load_file(str(default_model_path('ja')))
    assert any(not torch.equal(ck['model'][k], v5[k]) for k in v5 if k in ck['model'])
    assert ck['config']['data']['source'] == 'hanzi_mix'
