"The README's main job end to end, as a new user runs it: `inktrace demo` on the bundled data."
import json, shutil, subprocess
from pathlib import Path
import numpy as np
from PIL import Image
from inktrace.io import strokes_from_json, strokes_from_svg


def run(*args, cwd):
    exe = shutil.which("inktrace")
    assert exe, "the console script `inktrace` is not on PATH (pip install -e .)"
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_demo_writes_outputs_and_never_overwrites(tmp_path):
    r = run("demo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "inktrace_out" / "demo"
    assert str(out.resolve()) in r.stdout
    pngs = sorted(out.glob("*[0-9a-f].png"))
    assert len(pngs) == 6 and len(list(out.glob("*_preview.png"))) == 6
    for p in pngs:
        img = np.asarray(Image.open(p))
        assert img.shape == (256, 256) and img.min() < 50 and np.median(img) == 255    # dark ink on white paper
        d_json, d_svg = strokes_from_json(p.with_suffix(".json")), strokes_from_svg(p.with_suffix(".svg"))
        assert len(d_json) == len(d_svg) > 0
    r2 = run("demo", cwd=tmp_path)                      # a second run goes to a new folder
    assert r2.returncode == 0 and (tmp_path / "inktrace_out" / "demo-2").is_dir()


def test_help_lists_commands(tmp_path):
    r = run("--help", cwd=tmp_path)
    assert r.returncode == 0 and "demo" in r.stdout and "render" in r.stdout
    assert "replace the output file if it exists" in run("render", "--help", cwd=tmp_path).stdout
