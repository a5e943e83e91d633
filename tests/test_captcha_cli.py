"""`inktrace captcha` end to end with the shipped model: generate a labelled set, solve it (screenshots and separate
pieces, one JSON line each, one process), score it, and the bad inputs the issue lists."""
import json, math, subprocess, sys
import numpy as np
from PIL import Image
from inktrace.captcha.data import make_captcha
from inktrace.cli import run_cli as inktrace_cli      # `inktrace ...` in this process


def _run(*args):
    return inktrace_cli("captcha", *args)


def _num(v): return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _check_row(o, W, H):
    "One `solve --json` line: every field of the right type, inside the image, and self-consistent."
    assert isinstance(o["file"], str) and o["method"] in ("model", "match"), o
    assert all(_num(o[k]) for k in ("x", "y", "distance", "angle", "confidence")), o
    assert 0 <= o["confidence"] <= 1 and -90 <= o["angle"] <= 90, o
    for k in ("gap", "slider"): assert _num(o[k]["x"]) and _num(o[k]["y"]) and -2 <= o[k]["x"] <= W + 2 and -2 <= o[k]["y"] <= H + 2, (k, o)
    x0, y0, x1, y1 = o["gap"]["box"]
    assert all(_num(v) for v in (x0, y0, x1, y1)) and x0 <= o["gap"]["x"] <= x1 and y0 <= o["gap"]["y"] <= y1, o
    tol = 0.02 if o["method"] == "model" else 1.0                                    # match: the slider is the piece's bbox centre, the drag its own fit
    assert abs(o["distance"] - (o["gap"]["x"] - o["slider"]["x"])) <= tol, o         # the drag is gap x - slider x
    if o["method"] == "match": assert isinstance(o["notes"], list), o


def _one_line_error(r, name):
    "A bad input: exit code 2, its error one line that names the file, no traceback (solve then adds its count and summary lines)."
    lines = r.stderr.strip().splitlines()
    errs = [l for l in lines if l.startswith("inktrace: error:")]
    assert r.returncode == 2 and errs and name in errs[0] and "Traceback" not in r.stderr, r.stderr
    assert all(l.startswith(("inktrace: error:", "solved ")) for l in lines), r.stderr   # nothing but one-line messages


def test_known_answer(tmp_path):
    "A generated captcha whose answer is known (no decoy, noise, rotation or augmentation): solved within 2 px."
    s = make_captcha(3, 0, p_separate=1, p_decoy=0, p_noise=0, p_rotate=0, p_augment=0, p_highlight=0)
    bg, pc = tmp_path / "bg.png", tmp_path / "piece.png"
    Image.fromarray(s.image).save(bg); Image.fromarray(s.piece, "RGBA").save(pc)
    r = _run("solve", str(bg), "--piece", str(pc), "--json")
    assert r.returncode == 0, r.stderr
    o = json.loads(r.stdout); l = s.label; W, H = l.size
    _check_row(o, W, H)
    assert o["file"] == str(bg) and o["method"] == "match"
    assert abs(o["x"] - l.target[0]) <= 2 and abs(o["y"] - l.target[1]) <= 2, (o, l)     # where the piece's frame goes
    assert abs(o["distance"] - l.distance) <= 2 and abs(o["gap"]["x"] - l.gap[0]) <= 2 and abs(o["gap"]["y"] - l.gap[1]) <= 2, (o, l)
    assert o["confidence"] > 0.5, o


def test_generate_solve_eval(tmp_path):
    r = _run("generate", "-n", "6", "-o", str(tmp_path / "set"), "--seed", "11")
    assert r.returncode == 0, r.stderr
    lab = json.loads((tmp_path / "set" / "labels.json").read_text())
    bgs = [str(tmp_path / "set" / l["file"]) for l in lab]
    shots = [b for b, l in zip(bgs, lab) if l["piece"] is None]
    r = _run("solve", *shots, "--json")                       # the shipped model, no --model
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(rows) == len(shots) and all({"x", "y", "distance", "gap", "slider", "angle", "confidence"} <= set(o) for o in rows)
    size = {str(tmp_path / "set" / l["file"]): l["size"] for l in lab}
    for o in rows: _check_row(o, *size[o["file"]]); assert o["method"] == "model"
    sep = [(b, str(tmp_path / "set" / l["piece"])) for b, l in zip(bgs, lab) if l["piece"]]
    assert shots and sep                                      # seed 11 gives both kinds (2 screenshots, 4 separate pieces)
    r = _run("solve", *[b for b, _ in sep], *sum([["--piece", p] for _, p in sep], []), "--json")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(rows) == len(sep) and {o["method"] for o in rows} == {"match"}      # a separate piece: matched by the piece itself
    for o in rows: _check_row(o, *size[o["file"]])
    want = {str(tmp_path / "set" / l["file"]): l for l in lab}
    err = [abs(o["distance"] - want[o["file"]]["distance"]) for o in rows]
    assert np.mean(np.array(err) <= 5) >= 0.75, err                              # generated captchas, answered where the labels say
    r = _run("solve", *[b for b, _ in sep[:1]], "--piece", sep[0][1], "--json", "--method", "model")
    assert r.returncode == 0 and json.loads(r.stdout)["method"] == "model", r.stderr
    r = _run("solve", shots[0], "--method", "match")
    assert r.returncode == 2 and "needs the separate piece image" in r.stderr and "Traceback" not in r.stderr
    r = _run("eval", str(tmp_path / "set"))
    assert r.returncode == 0, r.stderr
    assert "| all | 6 |" in r.stdout


def test_bad_inputs(tmp_path):
    black = tmp_path / "black.png"; Image.fromarray(np.zeros((160, 320, 3), np.uint8)).save(black)
    big = tmp_path / "big.png"; Image.fromarray(np.full((400, 400, 4), 255, np.uint8)).save(big)
    bg = tmp_path / "bg.png"; Image.fromarray((np.random.default_rng(0).random((160, 320, 3)) * 255).astype(np.uint8)).save(bg)
    (tmp_path / "text.png").write_text("not an image")
    r = _run("solve", str(black))
    _one_line_error(r, "black.png"); assert "black.png: the image is uniform" in r.stderr
    r = _run("solve", str(bg), "--piece", str(big))
    assert r.returncode == 2 and "larger than the background" in r.stderr
    r = _run("solve", str(tmp_path / "text.png"), str(bg))
    assert r.returncode == 2 and "text.png: not an image" in r.stderr and "1 of 2" in r.stderr
    r = _run("solve", str(bg), "--model", str(tmp_path / "text.png"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    tiny = tmp_path / "tiny.png"; t = np.zeros((160, 30, 4), np.uint8); t[40:46, 5:11] = 255; Image.fromarray(t).save(tiny)
    r = _run("solve", str(bg), "--piece", str(tiny))
    _one_line_error(r, "tiny.png"); assert "tiny.png: the piece is 6x6 px, smaller than 8 px" in r.stderr
    opaque = tmp_path / "opaque.png"; Image.fromarray(np.full((160, 30, 3), 200, np.uint8)).save(opaque)   # no alpha channel at all
    r = _run("solve", str(bg), "--piece", str(opaque))
    _one_line_error(r, "opaque.png"); assert "opaque.png: the piece has no transparent pixels" in r.stderr
    r = _run("eval", str(tmp_path / "nowhere"))
    _one_line_error(r, "nowhere")
    r = _run("solve", str(tmp_path / "missing.png"))
    assert r.returncode == 2 and "missing.png" in r.stderr and "Traceback" not in r.stderr
