"Bad input gives a clear error that names the problem, never a traceback from inside torch; nothing is overwritten."
import json, subprocess, sys
import numpy as np, pytest, torch
from inktrace.core import Strokes, StrokesError
from inktrace.io import strokes_from_json, strokes_from_svg, save_json
from inktrace.renderer import render, render_stamps


from inktrace.cli import run_cli as cli      # `inktrace ...` in this process


@pytest.mark.parametrize("text,msg", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected an object"),
    ('{"width": 10, "height": 10}', "missing field 'strokes'"),
    ('{"width": -1, "height": 10, "strokes": []}', "field 'width' must be a positive number"),
    ('{"width": 10, "height": 10, "strokes": [{"points": [[1, 2, 3]]}]}', "strokes[0].points must be a list of [x, y] pairs"),
    ('{"width": 10, "height": 10, "strokes": [{"points": [[1, "a"]]}]}', "strokes[0].points must be a list of [x, y] numbers"),
    ('{"width": 10, "height": 10, "strokes": [{"points": [[1, 2], [3, Infinity]]}]}', "NaN or inf"),
    ('{"width": 10, "height": 10, "strokes": [{"points": [[1, 2]], "radius": [-2]}]}', "radius must be >= 0"),
    ('{"width": 10, "height": 10, "strokes": [{"points": [[1, 2], [3, 4]], "radius": [1, 2, 3]}]}', "radius has 3 values but points has 2"),
])
def test_bad_json(tmp_path, text, msg):
    f = tmp_path / "bad.json"; f.write_text(text)
    with pytest.raises(StrokesError, match=None) as e: strokes_from_json(f)
    assert msg in str(e.value) and "bad.json" in str(e.value)


@pytest.mark.parametrize("text,msg", [
    ("<svg", "not valid SVG"),
    ('<svg><path d="M 0 0 L 1 1"/></svg>', "needs a viewBox or width and height"),
    ('<svg viewBox="0 0 10 10"><path d="M 0 0 L nan 1"/></svg>', "cannot parse path"),
])
def test_bad_svg(text, msg):
    with pytest.raises(StrokesError) as e: strokes_from_svg(text)
    assert msg in str(e.value)


def test_missing_files():
    with pytest.raises(FileNotFoundError, match="strokes JSON file not found: nope.json"): strokes_from_json("nope.json")
    with pytest.raises(FileNotFoundError, match="SVG file not found"): strokes_from_svg("nope.svg")


def test_nan_inf_negative_and_shapes():
    with pytest.raises(StrokesError, match="stroke 1: points contain NaN or inf"): Strokes([[[0, 0]], [[np.inf, 0]]])
    with pytest.raises(StrokesError, match="pts contain NaN or inf"): render(torch.tensor([[[[0., float('inf')]]]]), 0.1)
    with pytest.raises(StrokesError, match="radius must be >= 0"): render(torch.zeros(1, 1, 2, 2), torch.tensor(-0.1))
    with pytest.raises(StrokesError, match=r"pts must have shape \(B, S, N, 2\)"): render(torch.zeros(2, 3, 4, 3), 0.1)
    with pytest.raises(StrokesError, match=r"radius must have shape \(B, S, N\)"): render(torch.zeros(2, 3, 4, 2), torch.ones(2, 4, 3))
    with pytest.raises(StrokesError, match=r"mask must have shape"): render(torch.zeros(2, 3, 4, 2), 0.1, mask=torch.ones(2, 3, 5, dtype=bool))
    with pytest.raises(StrokesError, match="stamp radius r and aspect w must be > 0"): render_stamps(torch.zeros(1, 2), torch.zeros(1, 2), 0.0, 1.0, 0.0)
    with pytest.raises(StrokesError, match="size must be positive"): render(Strokes([[[0.5, 0.5]]]), size=(0, 10))
    with pytest.raises(TypeError, match="pts must be a tensor"): render("strokes.json")
    # masked-out padding may hold anything: only real points are checked
    pts = torch.zeros(1, 1, 3, 2); pts[0, 0, 2] = float('nan')
    assert torch.isfinite(render(pts, 0.1, mask=torch.tensor([[[True, True, False]]]))).all()


def test_empty_drawings():
    empty = Strokes([])
    assert len(empty) == 0
    assert render(empty, size=16).sum() == 0 and render([empty, Strokes([[[0.5, 0.5]]], 0.2)], size=16)[0].sum() == 0
    with pytest.raises(StrokesError, match="empty drawing has no bounding box"): empty.bbox()


def test_no_overwrite(tmp_path):
    f = tmp_path / "s.json"; f.write_text("keep me")
    with pytest.raises(FileExistsError, match="exists; pass overwrite=True"): save_json(Strokes([[[0.5, 0.5]]]), f)
    assert f.read_text() == "keep me"


def test_cli_errors_are_one_line(tmp_path):
    good = tmp_path / "g.json"; good.write_text(json.dumps({"width": 32, "height": 32, "strokes": [{"points": [[4, 4], [28, 28]], "radius": 2}]}))
    (tmp_path / "out.png").write_bytes(b"precious")
    blocker = tmp_path / "a_file"; blocker.write_text("x")
    bad = tmp_path / "b.json"; bad.write_text('{"width": 32, "height": 32, "strokes": [{"points": [[1, NaN]]}]}')
    empty = tmp_path / "e.json"; empty.write_text('{"width": 32, "height": 32, "strokes": []}')
    cases = [((good, "-o", tmp_path / "out.png"), "exists; pass --overwrite"),
             ((tmp_path / "missing.json", "-o", tmp_path / "x.png"), "strokes file not found"),
             ((bad, "-o", tmp_path / "y.png"), "NaN or inf"),
             ((empty, "-o", tmp_path / "z.png"), "has no strokes"),
             ((good, "-o", blocker / "sub" / "w.png"), "cannot write"),
             ((good, "-o", tmp_path / "w.jpg"), "output must be a .png file")]
    for args, msg in cases:
        r = cli("render", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert msg in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert (tmp_path / "out.png").read_bytes() == b"precious"
    r = cli("render", good, "-o", tmp_path / "out.png", "--overwrite")
    assert r.returncode == 0 and (tmp_path / "out.png").read_bytes()[:4] == b"\x89PNG"
    r = cli("render", good, "-o", tmp_path / "q.png", "--size", "0", "5")
    assert r.returncode == 2 and "must be a positive integer" in r.stderr
