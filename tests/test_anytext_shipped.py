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
