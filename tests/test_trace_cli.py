"""`inktrace trace` end to end from a shell, with an explicitly built small model (the shipped one is checked
in test_shipped_model): outputs, folders, formats, and each bad input named in the issue."""
import json, os, subprocess, sys
from pathlib import Path
import numpy as np, pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


from inktrace.cli import run_cli as run      # `inktrace ...` in this process


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    "A small untrained dense model, saved as safetensors + JSON (built explicitly: no silent fallback)."
    import torch
    from inktrace.trace.dense import DenseNet, save_dense
    torch.manual_seed(0)
    return save_dense(DenseNet(embed_dim=32, num_layers=3), tmp_path_factory.mktemp("model") / "tiny.safetensors")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    "A folder of rendered characters (PNG, JPEG, a sub-folder) and the bad inputs of the issue."
    from inktrace.data.kanjivg import load_kanjivg
    from inktrace.renderer import render
    d = tmp_path_factory.mktemp("imgs")
    ks = load_kanjivg("test", n=3)
    inks = render([k.strokes for k in ks], size=96)[:, 0].numpy()
    (d / "sub").mkdir()
    for i, ink in enumerate(inks):
        im = Image.fromarray(np.uint8((1 - ink) * 255))
        im.save(d / (f"c{i}.png" if i < 2 else "sub/c2.jpg"))
    bad = tmp_path_factory.mktemp("bad")
    (bad / "notimage.png").write_text("hello")
    Image.fromarray(np.uint8((1 - inks[0]) * 255)).save(bad / "full.png")
    (bad / "truncated.png").write_bytes((bad / "full.png").read_bytes()[:200])
    Image.new("L", (64, 64), 255).save(bad / "blank.png")
    return d, bad


def test_trace_folder_writes_every_format(tmp_path, tiny_model, images):
    d, _ = images
    r = run("trace", d, "-o", tmp_path / "out", "--model", tiny_model)
    assert r.returncode == 0, r.stderr
    assert "traced 3 of 3 images" in r.stdout
    for stem in ("c0", "c1", "sub/c2"):
        for ext in ("json", "svg", "png"):
            assert (tmp_path / "out" / f"{stem}.{ext}").exists(), f"{stem}.{ext} missing"
    js = json.loads((tmp_path / "out" / "c0.json").read_text())
    assert js["width"] == 96 and js["height"] == 96 and isinstance(js["strokes"], list)


def test_format_subset_and_no_overwrite(tmp_path, tiny_model, images):
    d, _ = images
    out = tmp_path / "out"
    assert run("trace", d / "c0.png", "-o", out, "--model", tiny_model, "--format", "json").returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["c0.json"]
    before = (out / "c0.json").read_bytes()
    r = run("trace", d / "c0.png", "-o", out, "--model", tiny_model, "--format", "json")
    assert r.returncode == 2 and "exists; pass --overwrite" in r.stderr and (out / "c0.json").read_bytes() == before
    assert run("trace", d / "c0.png", "-o", out, "--model", tiny_model, "--format", "json", "--overwrite").returncode == 0
    r = run("trace", d / "c0.png", "-o", out, "--model", tiny_model, "--format", "pdf")
    assert r.returncode == 2 and "unknown format 'pdf'" in r.stderr


def test_bad_files_are_named_and_skipped(tmp_path, tiny_model, images):
    d, bad = images
    r = run("trace", bad, d / "c0.png", tmp_path / "missing_dir", "-o", tmp_path / "out", "--model", tiny_model)
    assert r.returncode == 0, r.stderr                                  # one good image: the run goes on
    err = r.stderr
    assert "notimage.png" in err and "not an image" in err
    assert "truncated.png" in err and "truncated" in err
    assert "blank.png" in err and "no ink" in err
    assert "missing_dir" in err
    assert "traced 2 of 5 images" in r.stdout and (tmp_path / "out" / "c0.json").exists()


def test_huge_image_is_refused_with_the_limit(tmp_path, tiny_model, images):
    d, _ = images
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", tiny_model, "--max-pixels", "1000")
    assert r.returncode == 2 and "max_pixels" in r.stderr and "--max-pixels" in r.stderr and "c0.png" in r.stderr


def test_unknown_char_and_bad_model(tmp_path, tiny_model, images):
    d, _ = images
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", tiny_model, "--char", "☃")        # the default, Chinese conventions
    assert r.returncode == 2 and "Make Me a Hanzi has no character '☃' (U+2603)" in r.stderr, r.stderr
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", tiny_model, "--char", "☃", "--lang", "ja")
    assert r.returncode == 2 and "KanjiVG has no character '☃' (U+2603)" in r.stderr
    notmodel = tmp_path / "m.safetensors"; notmodel.write_bytes(b"junk")
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", notmodel)
    assert r.returncode == 2 and "m.json" in r.stderr and "model file not found" in r.stderr
    (tmp_path / "m.json").write_text(Path(str(tiny_model)).with_suffix(".json").read_text())
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", notmodel)
    assert r.returncode == 2 and "m.safetensors: not a safetensors weights file" in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_char_mode_runs(tmp_path, tiny_model, images):
    from inktrace.data.kanjivg import load_kanjivg
    d, _ = images
    c = load_kanjivg("test", n=1)[0].char
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", tiny_model, "--char", c, "--format", "json", "--lang", "ja")   # KanjiVG's templates
    assert r.returncode == 0, r.stderr


def test_lang_orders_the_same_strokes(tmp_path, tiny_model, images):
    "`--lang zh` (Chinese order model) and `--lang ja` trace the same strokes, each in its own order; an unknown convention is refused."
    d, _ = images
    outs = {}
    for lang in ("ja", "zh"):
        r = run("trace", d / "c0.png", "-o", tmp_path / lang, "--model", tiny_model, "--lang", lang, "--format", "json")
        assert r.returncode == 0, r.stderr
        outs[lang] = json.loads((tmp_path / lang / "c0.json").read_text())["strokes"]
    key = lambda s: sorted(round(v, 3) for v in np.ravel(s["points"]))
    assert sorted(map(key, outs["ja"])) == sorted(map(key, outs["zh"]))            # the same strokes (directions may differ)
    r = run("trace", d / "c0.png", "-o", tmp_path / "ko", "--model", tiny_model, "--lang", "ko")
    assert r.returncode == 2 and "--lang" in r.stderr


@pytest.fixture(scope="module")
def tiny_seq(tmp_path_factory):
    "A small untrained sequence model (safetensors + JSON), built explicitly."
    import torch
    from inktrace.trace.seq import SeqNet
    from inktrace.trace.seqtrace import save_seq
    torch.manual_seed(0)
    m = SeqNet(max_steps=8, enc_width=0.125, state_dim=32, hidden=32, hyper_units=16, hyper_embed=8, step_embed=8)
    return save_seq(m, tmp_path_factory.mktemp("seq") / "seq_tiny.safetensors")


def test_sequence_model_traces_and_refuses_dense_only_flags(tmp_path, tiny_seq, images):
    "`--model` with sequence-model weights traces with `SeqTracer` (the JSON says which model it is); --char / --refine are refused by name."
    d, _ = images
    r = run("trace", d / "c0.png", "-o", tmp_path / "out", "--model", tiny_seq, "--samples", "2", "--format", "json")
    assert r.returncode == 0, r.stderr
    js = json.loads((tmp_path / "out" / "c0.json").read_text())
    assert js["width"] == 96 and all(0 <= x <= 96 and 0 <= y <= 96 for s in js["strokes"] for x, y in s["points"])
    r = run("trace", d / "c0.png", "-o", tmp_path / "o2", "--model", tiny_seq, "--char", "永")
    assert r.returncode == 2 and "--char" in r.stderr and "dense model only" in r.stderr
    r = run("trace", d / "c0.png", "-o", tmp_path / "o3", "--model", tiny_seq, "--refine")
    assert r.returncode == 2 and "--refine works with the dense model only" in r.stderr
