"Targets and data loaders: bad input gives a clear error naming the problem; odd but valid input gives sane targets."
import numpy as np, pytest, torch
from inktrace.core import Strokes, StrokeBatch, StrokesError, batch_strokes
from inktrace.data.targets import dense_targets, splat
from inktrace.data.loaders import SynthDataset, DrawingsDataset, InkDL, InkItem, ink_batch, synth_dls, drawings_dls, set_stage

LINE = Strokes([[[.2, .5], [.8, .5]]], 0.03)


def _sb(pts=None, radius=None, mask=None):
    sb = batch_strokes([LINE])
    return StrokeBatch(sb.pts if pts is None else pts, sb.radius if radius is None else radius, sb.mask if mask is None else mask)


@pytest.mark.parametrize("drawings,err,msg", [
    ("x", TypeError, "expected Strokes, a list of Strokes or a StrokeBatch, got str"),
    ([], StrokesError, "empty list of drawings"),
    ([LINE, 3], StrokesError, "drawing 1 is a int, expected Strokes"),
    (_sb(pts=torch.full((1, 1, 2, 2), float('nan'))), StrokesError, "pts contain NaN or inf"),
    (_sb(radius=-torch.ones(1, 1, 2)), StrokesError, "radius must be finite and >= 0"),
    (_sb(radius=torch.ones(1, 1, 3)), StrokesError, "StrokeBatch shapes disagree"),
])
def test_bad_drawings(drawings, err, msg):
    with pytest.raises(err) as e: dense_targets(drawings, 32)
    assert msg in str(e.value)


@pytest.mark.parametrize("kw,msg", [
    (dict(size=0), "size must be positive"),
    (dict(size=(16, -2)), "size must be positive"),
    (dict(sigma=0), "sigma must be > 0"),
    (dict(margin=-1), "need margin >= 0"),
    (dict(r_skel=0), "r_skel > 0"),
    (dict(corner_angle=200), "corner_angle must be in (0, 180)"),
    (dict(corner_win=0), "corner_win must be > 0"),
    (dict(touch=-0.1), "touch >= 0"),
])
def test_bad_options(kw, msg):
    kw = {'size': 32, **kw}
    with pytest.raises((ValueError, StrokesError)) as e: dense_targets(LINE, **kw)
    assert msg in str(e.value)


def test_splat_bad_sigma():
    with pytest.raises(ValueError, match="sigma must be > 0"): splat(torch.zeros(1, 1, 2), torch.zeros(1, 1).long(), 1, 8, sigma=-1)


@pytest.mark.parametrize("drawings,size", [
    ([Strokes([])], 16),                                             # nothing at all
    ([Strokes([]), LINE], (12, 30)),                                 # an empty drawing in a batch, non-square
    ([Strokes([[[5., 5.], [6., 6.]]], 0.01)], 16),                   # far off the canvas
    ([Strokes([[[.5, .5]]], 0.0)], 16),                              # a dot of radius 0
    ([Strokes([[[.5, .5], [.5, .5], [.5, .5]]], 0.02)], 16),         # repeated points: a dot
    ([Strokes([[[.1, .5], [.9, .5]]], 0.6)], 16),                    # a stroke wider than the image
    ([LINE], 1),                                                     # a 1 x 1 image
])
def test_odd_but_valid(drawings, size):
    tg = dense_targets(drawings, size)
    H, W = (size, size) if np.ndim(size) == 0 else size
    assert tg.skeleton.shape == (len(drawings), 1, H, W)
    for k, v in tg.as_dict().items():
        if v.is_floating_point(): assert torch.isfinite(v).all(), k
    assert tg.skeleton.min() >= 0 and tg.skeleton.max() <= 1 and tg.keypoints.max() <= 1


def test_dataset_errors():
    with pytest.raises(ValueError, match="stage must be an int in 0..9, got 10"): SynthDataset(4, stage=10)
    with pytest.raises(ValueError, match="stage must be an int in 0..9, got True"): SynthDataset(4, stage=True)
    with pytest.raises(ValueError, match="n must be a positive int"): SynthDataset(0)
    with pytest.raises(ValueError, match="style_strength and replay must be in"): SynthDataset(4, style_strength=2)
    with pytest.raises(IndexError, match="item 4 of a SynthDataset of 4"): SynthDataset(4)[4]
    with pytest.raises(StrokesError, match="drawing 1 is a str"): DrawingsDataset([LINE, "x"])
    with pytest.raises(ValueError, match="got no drawings"): DrawingsDataset([])


def test_loader_errors():
    with pytest.raises(KeyError, match="unknown target 'skel'"): ink_batch([LINE], 32, keys=('skel',))
    with pytest.raises(TypeError, match="InkDL items must be InkItem or Strokes, got int"): ink_batch([1], 32)
    with pytest.raises(ValueError, match="sizes must be positive ints"): InkDL(SynthDataset(4), sizes=(0,), bs=2)
    with pytest.raises(ValueError, match="need at least 2 drawings"): drawings_dls([LINE])
    with pytest.raises(ValueError, match="leaves an empty split"): drawings_dls([LINE] * 3, valid_pct=0.01)
    dls = synth_dls(bs=2, n_train=4, n_valid=2, sizes=(32,), valid_size=32, device='cpu')
    with pytest.raises(ValueError, match="stage must be an int in 0..9"): set_stage(dls, 'a')


def test_loader_items_and_strokes():
    "Plain `Strokes` and `InkItem`s both make batches; targets follow the strokes as drawn."
    xb, yb = ink_batch([LINE, InkItem(LINE, None, 3)], 32, keys=('skeleton', 'width'))
    assert xb.shape == (2, 1, 32, 32) and set(yb) == {'skeleton', 'width'}
    assert torch.equal(xb[0], xb[1])                                   # default style: the plain renderer
    assert abs(yb['width'].max().item() - 0.03 * 32) < 1e-4
