"""`inktrace captcha` end to end with the shipped model: generate a labelled set, solve it (screenshots and separate
pieces, one JSON line each, one process), score it, and the bad inputs the issue lists."""
import json, subprocess, sys
import numpy as np
from PIL import Image


def _run(*args):
    return subprocess.run([sys.executable, "-m", "inktrace", "captcha", *args], capture_output=True, text=True, timeout=300)


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
    sep = [(b, str(tmp_path / "set" / l["piece"])) for b, l in zip(bgs, lab) if l["piece"]]
    assert shots and sep                                      # seed 11 gives both kinds (2 screenshots, 4 separate pieces)
    r = _run("solve", *[b for b, _ in sep], *sum([["--piece", p] for _, p in sep], []), "--json")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(rows) == len(sep) and {o["method"] for o in rows} == {"match"}      # a separate piece: matched by the piece itself
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
    assert r.returncode == 2 and "black.png: the image is uniform" in r.stderr and "Traceback" not in r.stderr
    r = _run("solve", str(bg), "--piece", str(big))
    assert r.returncode == 2 and "larger than the background" in r.stderr
    r = _run("solve", str(tmp_path / "text.png"), str(bg))
    assert r.returncode == 2 and "text.png: not an image" in r.stderr and "1 of 2" in r.stderr
    r = _run("solve", str(bg), "--model", str(tmp_path / "text.png"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    tiny = tmp_path / "tiny.png"; t = np.zeros((160, 30, 4), np.uint8); t[40:46, 5:11] = 255; Image.fromarray(t).save(tiny)
    r = _run("solve", str(bg), "--piece", str(tiny))
    assert r.returncode == 2 and "tiny.png: the piece is 6x6 px, smaller than 8 px" in r.stderr
    opaque = tmp_path / "opaque.png"; Image.fromarray(np.full((160, 30, 3), 200, np.uint8)).save(opaque)   # no alpha channel at all
    r = _run("solve", str(bg), "--piece", str(opaque))
    assert r.returncode == 2 and "opaque.png: the piece has no transparent pixels" in r.stderr
    r = _run("eval", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "nowhere" in r.stderr
