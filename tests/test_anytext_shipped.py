"""The shipped AnyText model: in the package, every weight file small, loads by default, and `inktrace anytext generate`
writes an image with it (quality is in `nbs/58_anytext.report.ipynb`)."""
import json
from inktrace.cli import run_cli as inktrace_cli      # `inktrace ...` in this process
from pathlib import Path
from PIL import Image


def test_shipped_anytext_is_small_and_loads():
    from inktrace.anytext.cli import default_model_dir, load_model
    d = default_model_dir()
    assert (d / "anytext_config.json").is_file()
    files = list(d.rglob("*.safetensors"))
    assert files and all(f.stat().st_size < 20e6 for f in files), [(f.name, f.stat().st_size) for f in files]
    cfg = json.loads((d / "anytext_config.json").read_text())
    m = load_model()
    assert list(m.cfg.size) == cfg["size"] and m.prediction_type == cfg["prediction_type"]


def test_generate_with_the_shipped_model(tmp_path):
    out = tmp_path / "hello.png"
    r = inktrace_cli("anytext", "generate", "--text", "Hello", "--color", "#202080", "--steps", "4", "-o", out)
    assert r.returncode == 0, r.stderr[-500:]
    assert "wrote 1 text line" in r.stdout
    assert Image.open(out).size == (256, 64)


def test_the_shipped_model_writes_legibly(tmp_path):
    "Issue 36's point: PP-OCRv4 reads back what the shipped model wrote (a held-out word, which training never draws, in a colour)."
    import numpy as np, torch
    from inktrace.anytext.ocr import OCRReader
    from inktrace.anytext.evaluate import ned
    out = tmp_path / "word.png"
    r = inktrace_cli("anytext", "generate", "--text", "Harbour", "--color", "#2050c0", "-o", out)
    assert r.returncode == 0, r.stderr[-500:]
    img = torch.from_numpy(np.asarray(Image.open(out).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)
    read = OCRReader(threads=1)(img[None])[0]
    assert ned(read, "Harbour") >= 0.8, read
