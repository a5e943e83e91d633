"Bad input to the synthetic curriculum and the ink styles gives a clear error that names the problem."
import numpy as np, pytest, torch
from inktrace.core import Strokes, StrokesError, batch_strokes
from inktrace.data.synth import STAGES, make_drawing, make_drawings, make_stroke, drawing_stats, KINDS
from inktrace.data.inkstyle import InkStyle, InkStyleError, STYLE_RANGES, apply_style, style_strokes


@pytest.mark.parametrize("stage", [-1, 10, 2.5, "3", None, True])
def test_bad_stage(stage):
    with pytest.raises(ValueError, match=r"stage must be an int in 0\.\.9, got"): make_drawings(stage, 2)
    with pytest.raises(ValueError, match=r"stage must be an int in 0\.\.9"): make_drawing(stage, np.random.default_rng(0))


@pytest.mark.parametrize("n", [-1, 1.5, "4", None])
def test_bad_n(n):
    with pytest.raises(ValueError, match="n must be an int >= 0"): make_drawings(1, n)


def test_bad_rng_and_kind():
    with pytest.raises(TypeError, match="rng must be a numpy Generator"): make_drawing(0, 42)
    with pytest.raises(ValueError, match="unknown stroke kind 'spiral'"): make_stroke("spiral", 0.5, np.random.default_rng(0))


def test_stages_deterministic_and_valid():
    assert sorted(STAGES) == list(range(10))
    for s in STAGES:
        a, b = make_drawings(s, 3, seed=7), make_drawings(s, 3, seed=7)
        assert a == b and all(isinstance(d, Strokes) and len(d) >= 1 for d in a)
        assert make_drawings(s, 1, seed=np.int64(7)) == a[:1]


def test_real_kanji_in_late_stages():
    "Stages 8-9 draw real KanjiVG characters (labels are KanjiVG stroke types, not synthetic kinds)."
    ds = make_drawings(9, 20, seed=0)
    kanji = [d for d in ds if not (d.labels and d.labels[0] in KINDS)]
    assert len(kanji) >= 10 and max(len(d) for d in kanji) >= 8
    assert all(drawing_stats(d)["strokes"] == len(d) for d in kanji)


@pytest.mark.parametrize("kw,msg", [
    (dict(blurr=2), "unknown ink-style parameter 'blurr' (did you mean 'blur'?); valid parameters: width, pressure"),
    (dict(Noise=0.1), "unknown ink-style parameter 'Noise' (did you mean 'noise'?)"),
    (dict(colour="red"), "unknown ink-style parameter 'colour'; valid parameters:"),
    (dict(blur=-1), "blur must be in [0.0, 8.0], got -1"),
    (dict(dry=1.5), "dry must be in [0.0, 1.0], got 1.5"),
    (dict(jpeg=101), "jpeg must be in [0, 100], got 101"),
    (dict(jpeg=50.0), "jpeg must be an int"),
    (dict(invert=1), "invert must be a bool"),
    (dict(noise="0.1"), "noise must be a finite number"),
    (dict(width=float("inf")), "width must be a finite number"),
    (dict(tip="square"), "tip must be one of ('round', 'ellipse', 'flat'), got 'square'"),
])
def test_bad_style(kw, msg):
    with pytest.raises(InkStyleError) as e: InkStyle(**kw)
    assert msg in str(e.value)
    with pytest.raises(InkStyleError) as e: InkStyle.from_dict(kw)
    assert msg in str(e.value)
    d = make_drawings(0, 1)[0]
    with pytest.raises(InkStyleError) as e: apply_style(d, kw, size=32)
    assert msg in str(e.value)


def test_unknown_names_listed():
    with pytest.raises(InkStyleError) as e: InkStyle(blurr=2)
    for k in STYLE_RANGES: assert k in str(e.value)


def test_bad_apply_style_args():
    d = make_drawings(1, 2)
    with pytest.raises(InkStyleError, match="got 3 styles for 2 drawings"): apply_style(d, [InkStyle()] * 3, size=32)
    with pytest.raises(InkStyleError, match="a style must be an InkStyle, a dict of parameters or None, got str"): apply_style(d, "dry", size=32)
    with pytest.raises(InkStyleError, match="an ink style must be a dict"): InkStyle.from_dict([("blur", 1)])
    with pytest.raises(StrokesError, match="drawings must be Strokes"): apply_style(np.zeros((3, 2)), size=32)
    with pytest.raises(StrokesError, match="size must be positive"): apply_style(d, size=0)
    with pytest.raises(InkStyleError, match=r"strength must be in \[0, 1\], got -0.5"): InkStyle.random(np.random.default_rng(0), strength=-0.5)


def test_apply_style_inputs_and_range():
    ds = make_drawings(7, 4, seed=1)
    sty = [InkStyle.random(np.random.default_rng(i)) for i in range(4)]
    a = apply_style(ds, sty, size=(48, 64), seed=3)
    assert a.shape == (4, 1, 48, 64) and a.dtype == torch.float32 and 0 <= a.min() and a.max() <= 1
    assert torch.equal(a, apply_style(batch_strokes(ds), sty, size=(48, 64), seed=3))      # a StrokeBatch works the same
    assert torch.equal(a, apply_style(ds, sty, size=(48, 64), seed=np.random.default_rng(3)))
    assert apply_style([], size=16).shape == (0, 1, 16, 16)
    # a drawing with a single-point stroke (a dot) and every effect on
    dot = Strokes([[[0.5, 0.5]], [[0.2, 0.2], [0.8, 0.3]]], 0.05)
    full = InkStyle(pressure=1, taper_in=1, taper_out=1, tip="flat", affine=3, dry=1, bleed=8, density=0.0, paper=1,
                    blur=8, contrast=4, gamma=5, noise=1, speckle=0.1, jpeg=1, invert=True)
    out = apply_style(dot, full, size=32)
    assert torch.isfinite(out).all() and 0 <= out.min() and out.max() <= 1
    assert style_strokes(dot, full, np.random.default_rng(0), 32).n_points > dot.n_points
