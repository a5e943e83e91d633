"""The seed's own example config (tests/seed_config.yaml, its trainer's key names) runs unchanged: one epoch of
its debug-sized twin trains from it, with the seed's flags (--stage, --epochs, --batch_size, --save_dir)."""
from pathlib import Path
from inktrace.cli import run_cli as inktrace_cli      # `inktrace ...` in this process

ROOT = Path(__file__).resolve().parents[1]


def test_seed_config_trains_one_epoch(tmp_path):
    tiny = ["model.embed_dim=16", "model.num_layers=2", "data.img_size=32", "data.n_valid=8", "training.n_batches=2",
            "training.device=cpu", "training.amp=false", "visualization.enabled=false"]
    r = inktrace_cli("train", "--config", str(ROOT / "tests" / "seed_config.yaml"), "--stage", "structural",
                        "--epochs", "1", "--batch_size", "4", "--save_dir", str(tmp_path / "ck"), *tiny)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "stage structural: 1 epochs" in r.stdout
    ck = list((tmp_path / "ck").rglob("last.ckpt"))
    assert len(ck) == 1 and "structural" in str(ck[0])
    # the dense stage starts from it (init_from: "auto" in the seed's config) and reports the transfer
    r = inktrace_cli("train", "--config", str(ROOT / "tests" / "seed_config.yaml"), "--stage", "dense",
                        "--epochs", "1", "--batch_size", "4", "--save_dir", str(tmp_path / "ck"), *tiny)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "loaded" in r.stdout and "stage dense: 1 epochs" in r.stdout


def test_tensorboard_has_the_seeds_names(tmp_path):
    "One tiny epoch of the dense model logs the seed's TensorBoard names (val/iou ... train/loss_skel ... curriculum/stage)."
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    tiny = ["model.embed_dim=16", "model.num_layers=2", "data.img_size=32", "data.n_valid=8", "training.n_batches=2",
            "training.device=cpu", "training.amp=false", "training.grad_norm_every=1", "visualization.tensorboard=true"]
    r = inktrace_cli("train", "--config", str(ROOT / "configs" / "default.yaml"), "--stage", "dense",
                        "--epochs", "1", "--batch_size", "4", "--save_dir", str(tmp_path), "init_from=null", *tiny)
    assert r.returncode == 0, r.stderr[-2000:]
    tb = list(tmp_path.rglob("tb"))
    assert len(tb) == 1
    tags = set(EventAccumulator(str(tb[0])).Reload().Tags()['scalars'])
    want = {'val/iou', 'val/precision', 'val/recall', 'val/f1', 'val/kp_topo_recall', 'val/kp_geo_recall', 'val/loss',
            'train/loss', 'train/loss_skel', 'train/loss_keys', 'train/loss_tangent', 'train/loss_width', 'train/loss_offset',
            'train/lr', 'train/grad_norm', 'curriculum/stage'}
    assert want <= tags, sorted(want - tags)
