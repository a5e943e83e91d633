"""The shipped dense model: it is in the package, loads by default, is small, and traces the bundled samples;
`inktrace demo` writes the outputs and the HTML page."""
import json
from pathlib import Path
import numpy as np
from inktrace.cli import run_cli as inktrace_cli      # `inktrace ...` in this process

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_weights_are_small_and_load():
    from inktrace.trace.tracer import Tracer, default_model_path
    p = default_model_path()
    assert p.exists() and p.with_suffix(".json").exists()
    assert p.stat().st_size < 20e6
    meta = json.loads(p.with_suffix(".json").read_text())
    assert meta["model"] == "dense" and meta["history"], "the JSON carries the training figures"
    t = Tracer()
    assert sum(q.numel() for q in t.model.parameters()) > 1e4


def test_shipped_tracer_on_a_test_character():
    "A held-out KanjiVG character in clean ink: the shipped tracer finds its strokes (a loose check; the report has the figures)."
    from inktrace.trace.tracer import Tracer
    from inktrace.trace.evaluate import kanjivg_test_set
    from inktrace.trace.metrics import score_set
    ts = kanjivg_test_set(26, "clean")                                 # the split starts with Latin and kana: take 6 kanji
    t = Tracer(lang="ja")                                              # KanjiVG's conventions and models
    preds = [t.trace_ink(ink) for ink in ts.inks[20:]]
    s = score_set(preds, ts.targs[20:])
    assert s["f1@0.05"] > 0.7 and s["kendall_tau"] > 0.6, s


def test_demo_page(tmp_path):
    "The demo's HTML page: input, preview and an animation per sample, self-contained; --overwrite is needed to redo a folder."
    r = inktrace_cli("demo", "-o", tmp_path / "demo")
    assert r.returncode == 0, r.stderr[-2000:]
    page = (tmp_path / "demo" / "index.html").read_text()
    assert page.count("<animate") > 10 and page.count("data:image/png;base64") == 8
    r2 = inktrace_cli("demo", "-o", tmp_path / "demo")
    assert r2.returncode == 2 and "exists" in r2.stderr


def test_char_mode_fixes_the_count_and_names_what_did_not_match(tmp_path):
    "`--char` with the shipped model (`--lang ja`: KanjiVG's templates, every character bundled): the brush sample of 永 comes out with the template's 5 strokes, labelled; a wrong character is reported by stroke."
    from inktrace.trace.cli import sample_images
    ei = next(p for p in sample_images() if p.stem == "brush_ei")
    run = lambda *a: inktrace_cli("trace", ei, "--format", "json", "--lang", "ja", *a)
    r = run("-o", str(tmp_path / "a"), "--char", "永")
    assert r.returncode == 0, r.stderr
    js = json.loads((tmp_path / "a" / "brush_ei.json").read_text())
    assert len(js["strokes"]) == 5 and all(s.get("label") for s in js["strokes"]), js["strokes"]
    assert "not matching --char" not in r.stdout
    r = run("-o", str(tmp_path / "b"), "--char", "一")                   # one stroke: the rest of 永 fits no template stroke
    assert r.returncode == 0, r.stderr
    assert "brush_ei.png: " in r.stderr and "traced strokes not in the template" in r.stderr, r.stderr
    assert "1 with strokes not matching --char" in r.stdout


def test_shipped_link_model_loads_and_pairs():
    "The shipped link models (which branch ends continue each other at the skeleton's nodes), KanjiVG's and the Chinese one: small, loaded by language, their features among the code's."
    from inktrace.trace.links import link_weights, load_link_model
    from inktrace.trace.graph import PAIR_FEATURES
    from inktrace.trace.tracer import Tracer
    for lang, n in (("ja", 24), ("zh", len(PAIR_FEATURES))):
        w = link_weights(lang)
        assert w.exists() and w.stat().st_size < 1e6
        meta = json.loads(w.with_suffix(".json").read_text())
        assert meta["features"] == list(PAIR_FEATURES[:n]) and meta["train_chars"] >= 100      # KanjiVG's reads the first 24 (it predates the direction features)
        lm = load_link_model(w)
        p = lm.probs(np.zeros((4, len(PAIR_FEATURES))))
        assert p.shape == (4,) and np.isfinite(p).all()
        assert Tracer(lang=lang).link_model.hparams["features"] == meta["features"]
    assert Tracer(pairing="rules").link_model is None


def test_shipped_join_model_loads():
    "The shipped Chinese join model (free tips across a broken skeleton, or to a crossing's node): small, loaded by `Tracer(lang='zh')`, its features the code's; KanjiVG's convention has none; `joining=None` turns it off."
    from inktrace.trace.links import join_weights, load_link_model, JoinModel
    from inktrace.trace.graph import JOIN_FEATURES
    from inktrace.trace.tracer import Tracer
    w = join_weights("zh")
    assert w.exists() and w.stat().st_size < 1e6 and join_weights("ja") is None
    meta = json.loads(w.with_suffix(".json").read_text())
    assert meta["features"] == list(JOIN_FEATURES) and meta["train_chars"] >= 100 and meta["pairs"] > 1000
    p = load_link_model(w, JoinModel).probs(np.zeros((4, len(JOIN_FEATURES))))
    assert p.shape == (4,) and np.isfinite(p).all()
    assert isinstance(Tracer(lang="zh").join_model, JoinModel) and Tracer(lang="ja").join_model is None
    assert Tracer(lang="zh", joining=None).join_model is None


def test_cli_pairing_rules(tmp_path):
    "`--pairing rules` traces with the angle rule at the nodes (the ablation), the default with the link model."
    from inktrace.trace.cli import sample_images
    ei = next(p for p in sample_images() if p.stem == "brush_ei")
    for mode in ("rules", "learned"):
        r = inktrace_cli("trace", ei, "-o", tmp_path / mode, "--format", "json", "--pairing", mode)
        assert r.returncode == 0, r.stderr
        assert json.loads((tmp_path / mode / "brush_ei.json").read_text())["strokes"]


def test_shipped_sequence_model_draws_strokes(tmp_path):
    "`inktrace trace --model seq` uses the shipped sequence model (phase 0): on a held-out KanjiVG character it draws strokes on the ink, not just points in bounds."
    from PIL import Image
    from inktrace.trace.seqtrace import default_seq_path
    from inktrace.trace.evaluate import kanjivg_test_set
    from inktrace.renderer import render
    from inktrace.core import Strokes
    p = default_seq_path()
    assert p.exists() and p.stat().st_size < 20e6
    meta = json.loads(p.with_suffix(".json").read_text())
    assert meta["model"] == "seq" and meta["history"], "the JSON carries the training figures"
    ts = kanjivg_test_set(24, "clean", size=128)
    ink = ts.inks[22]
    Image.fromarray(((1 - ink) * 255).astype(np.uint8)).save(tmp_path / "c.png")
    r = inktrace_cli("trace", tmp_path / "c.png", "-o", tmp_path / "out", "--model", "seq", "--format", "json")
    assert r.returncode == 0, r.stderr
    js = json.loads((tmp_path / "out" / "c.json").read_text())
    assert len(js["strokes"]) >= 2, js["strokes"]
    d = Strokes([np.array(s["points"], np.float32) / 128 for s in js["strokes"]], 2 / 128)
    drawn = render(d, size=128)[0, 0].numpy() > .5
    assert (drawn & (ink > .5)).sum() > 0.5 * drawn.sum(), "most of what it draws lies on the ink"
    assert (drawn & (ink > .5)).sum() > 0.4 * (ink > .5).sum(), "and it covers a good part of the ink"
