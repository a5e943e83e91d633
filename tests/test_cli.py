"The README's main job end to end, as a new user runs it: `inktrace demo` on the bundled data."
import shutil, subprocess
from pathlib import Path
import numpy as np
from PIL import Image
from inktrace.io import strokes_from_json, strokes_from_svg
from inktrace.cli import run_cli as inktrace_cli      # `inktrace ...` in this process

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd):
    "The console script on PATH, in its own process, as the README's user runs it."
    exe = shutil.which("inktrace")
    assert exe, "the console script `inktrace` is not on PATH (pip install -e .)"
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_demo_writes_outputs_and_never_overwrites(tmp_path):
    "`inktrace demo` (the README's first command) traces the bundled samples with the shipped model."
    r = run("demo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "inktrace_out" / "demo"
    assert str((out / "index.html").resolve()) in r.stdout
    jsons = sorted(out.glob("*.json"))
    assert len(jsons) == 4 and len(list(out.glob("*.png"))) == 4 and (out / "index.html").exists()
    for j in jsons:
        d_json, (H, W) = strokes_from_json(j, return_size=True)
        d_svg = strokes_from_svg(j.with_suffix(".svg"))
        assert len(d_json) == len(d_svg) > 0
        src = Image.open(ROOT / "inktrace" / "assets" / "samples" / f"{j.stem}.png")
        assert (W, H) == src.size                                       # pixel units of the input image
    r2 = inktrace_cli("demo", cwd=tmp_path)                      # a second run goes to a new folder
    assert r2.returncode == 0 and (tmp_path / "inktrace_out" / "demo-2").is_dir()
    assert "\u2588" not in r.stdout + r.stderr and "\r" not in r.stdout + r.stderr   # no stray progress-bar characters in a log


def test_trace_warns_on_an_all_ink_image_and_prints_no_bar(tmp_path):
    "An image that is nearly all ink is traced with a one-line warning that names it; piped output has no progress-bar debris."
    Image.fromarray(np.full((48, 48), 8, np.uint8)).save(tmp_path / "solid.png")
    samples = sorted((ROOT / "inktrace" / "assets" / "samples").glob("*.png"))[:1]
    r = inktrace_cli("trace", tmp_path / "solid.png", *samples, "-o", tmp_path / "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    warn = [l for l in r.stderr.splitlines() if "warning" in l]
    assert len(warn) == 1 and "solid.png" in warn[0] and "of the image is ink" in warn[0], r.stderr
    assert (tmp_path / "out" / "solid.json").exists() and "\u2588" not in r.stdout + r.stderr


def test_help_lists_commands(tmp_path):
    r = inktrace_cli("--help", cwd=tmp_path)
    assert r.returncode == 0 and all(c in r.stdout for c in ("demo", "trace", "render", "train", "checkpoints"))
    assert "replace the output file if it exists" in inktrace_cli("render", "--help", cwd=tmp_path).stdout



def test_train_debug_stage_and_resume(tmp_path):
    "`inktrace train --stage debug` trains the toy run on CPU, writes checkpoints and a summary; --resume continues it."
    import time
    t0 = time.time()
    r = inktrace_cli("train", "--config", ROOT / "configs" / "default.yaml", "--stage", "debug", "--epochs", "2", f"output_dir={tmp_path / 'runs'}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert time.time() - t0 < 120, "the debug stage must finish in under two minutes on CPU"
    ck = tmp_path / "runs" / "inktrace_v5" / "debug" / "v1" / "checkpoints"
    assert "stage debug: 2 epochs, best valid_loss" in r.stdout and (ck / "last.ckpt").exists()
    rows = [l.split() for l in r.stdout.splitlines() if l[:1].isdigit() or l.startswith("epoch ")]   # a piped log: the epoch table as plain rows
    assert rows[0][:3] == ["epoch", "train_loss", "valid_loss"] and [x[0] for x in rows[1:]] == ["0", "1"], r.stdout
    assert "\r" not in r.stdout and "\u2588" not in r.stdout + r.stderr, r.stdout[:500]         # no progress-bar redraws
    assert len(list(ck.glob("epoch*-valid_loss*.ckpt"))) == 2
    done = inktrace_cli("train", "--resume", ck / "last.ckpt", cwd=tmp_path)
    assert done.returncode == 2 and "already finished" in done.stderr and "Traceback" not in done.stderr
    both = inktrace_cli("train", "--config", ROOT / "configs" / "default.yaml", "--stage", "debug", "--resume", ck / "last.ckpt", "--init_from", ck / "last.ckpt", cwd=tmp_path)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_train_help_documents_every_flag(tmp_path):
    out = inktrace_cli("train", "--help", cwd=tmp_path).stdout
    for flag in ("--config", "--stage", "--run-all-stages", "--start-from", "--resume", "--init_from", "--lr", "--epochs",
                 "--batch_size", "--seed", "--device", "section.key=VALUE"):
        assert flag in out, flag


def test_no_jit_futurewarning_and_other_warnings_still_show():
    "No `torch.jit.script is deprecated` FutureWarning before a command's first line (fastai triggers it on import); other warnings are not hidden."
    import subprocess, sys
    r = subprocess.run([sys.executable, "-W", "default", "-m", "inktrace", "--help"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "torch.jit.script" not in r.stderr and "FutureWarning" not in r.stderr, r.stderr[-2000:]
    code = "import warnings, inktrace.cli; warnings.warn('still shown', FutureWarning)"
    r = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, timeout=300)
    assert "still shown" in r.stderr and "torch.jit.script" not in r.stderr, r.stderr[-2000:]


def test_trace_lang_zh_with_a_chinese_template(tmp_path):
    "`--lang zh --char 永`: the Chinese models and Make Me a Hanzi's 永 (5 strokes, from the data or the bundled samples) as the template."
    r = inktrace_cli("trace", ROOT / "inktrace" / "assets" / "samples" / "brush_ei.png", "-o", tmp_path / "out", "--lang", "zh", "--char", "永", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(strokes_from_json(tmp_path / "out" / "brush_ei.json")) == 5
    r = inktrace_cli("trace", ROOT / "inktrace" / "assets" / "samples" / "brush_ei.png", "-o", tmp_path / "out2", "--lang", "zh", "--char", "必", cwd=tmp_path)
    assert r.returncode != 0 and "reserves for held-out testing" in r.stderr and not (tmp_path / "out2" / "brush_ei.json").exists()
