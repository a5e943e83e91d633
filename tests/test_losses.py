"Bad input to the losses gives a clear error naming the loss, the argument and what was expected; weights are never replaced silently."
import pytest, torch
from inktrace.core import PEN_START, PEN_END, StrokeBatch
from inktrace.losses import (LOSSES, LossError, make_loss, loss_params, l1_loss, stroke_number_loss, early_pen_loss,
                             early_pen_range, smoothness_loss, angle_loss, outside_loss, focal_loss, masked_l1_loss,
                             MultiTaskLoss, vq_loss)
from inktrace.perceptual import PerceptualLoss, LPIPSLoss, imagenet_weights_file, load_backbone

Z = torch.zeros


@pytest.mark.parametrize("name,kw,msg", [
    ("focal", dict(gamma=3), "unknown parameter 'gamma' for loss 'focal'; expected one of alpha, beta, logits, eps"),
    ("l1", dict(reduction='sum'), "unknown parameter 'reduction' for loss 'l1'; expected one of (none)"),
    ("vq", dict(betta=0.5), "unknown parameter 'betta' for loss 'vq'"),
    ("outside", dict(w=1.), "unknown parameter 'w' for loss 'outside'; expected one of weight"),
    ("stroke_number", dict(sched='fixed'), "unknown parameter 'sched' for loss 'stroke_number'"),
    ("perceptual", dict(weights=None, layer='relu1_1'), "unknown parameter 'layer' for loss 'perceptual'"),
    ("perceptual", dict(), "loss 'perceptual' needs parameter 'weights'"),
    ("lpips", dict(), "loss 'lpips' needs parameter 'weights'"),
    ("focal_loss", dict(), "unknown loss 'focal_loss'; expected one of"),
])
def test_make_loss_bad_params(name, kw, msg):
    with pytest.raises(LossError) as e: make_loss(name, **kw)
    assert msg in str(e.value)


def test_registry_complete():
    "Every registered name builds with its defaults (perceptual ones with weights=None) and lists its parameters."
    for name in sorted({*LOSSES, 'perceptual', 'lpips'}):
        kw = {'weights': None} if name in ('perceptual', 'lpips') else {}
        assert isinstance(make_loss(name, **kw), torch.nn.Module)
        assert all(isinstance(k, str) for k in loss_params(name))


@pytest.mark.parametrize("f,msg", [
    (lambda: l1_loss(Z(2, 1, 8, 8), Z(2, 1, 8, 9)), "l1: pred and targ must have the same shape, got (2, 1, 8, 8) and (2, 1, 8, 9)"),
    (lambda: l1_loss(Z(2, 1, 8, 8).numpy(), Z(2, 1, 8, 8)), "l1: pred must be a tensor, got ndarray"),
    (lambda: make_loss('l2')(Z(2, 1, 8, 8), [0.]), "l2: targ must be a tensor, got list"),
    (lambda: stroke_number_loss(Z(2, 5)), "stroke_number: pen must have 3 dimensions, got shape (2, 5)"),
    (lambda: stroke_number_loss(Z(2, 5, 4)), "stroke_number: pen must have size 3 in its last dimension"),
    (lambda: stroke_number_loss(Z(2, 5, 3), Z(3)), "stroke_number: targ counts must have shape (2,), got (3,)"),
    (lambda: stroke_number_loss(Z(2, 5, 3), Z(2, 4)), "stroke_number: targ pen codes must have shape (2, 5), got (2, 4)"),
    (lambda: stroke_number_loss(Z(2, 5, 3), mask=Z(2, 6)), "stroke_number: mask must have shape (2, 5), got (2, 6)"),
    (lambda: early_pen_loss(Z(2, 5, 3), Z(2, 6)), "early_pen: targ pen codes must have shape (2, 5), got (2, 6)"),
    (lambda: early_pen_range(0.5, 10, width=0), "early_pen: width must be in (0, 1], got 0"),
    (lambda: make_loss('early_pen')([0.5, 0.5]), "early_pen: pen must be a tensor, got list"),
    (lambda: make_loss('early_pen', width=1.5), "early_pen: width must be in (0, 1], got 1.5"),
    (lambda: make_loss('stroke_number', schedule='linear'), "stroke_number: unknown schedule 'linear'; expected one of fixed, increasing, decreasing"),
    (lambda: smoothness_loss(Z(4, 3)), "smoothness: expected points (..., N, 2), steps (B, T, 6) or a StrokeBatch, got shape (4, 3)"),
    (lambda: smoothness_loss(Z(2, 4, 2), Z(2, 5)), "smoothness: mask must have shape (2, 4), got (2, 5)"),
    (lambda: angle_loss(Z(2, 4, 2)), "angle: theta is required with points (..., N, 2)"),
    (lambda: angle_loss(Z(2, 4, 2), Z(2, 3)), "angle: theta must have shape (2, 4), got (2, 3)"),
    (lambda: outside_loss(Z(2, 4, 2), Z(2, 5)), "outside: radius must have shape (2, 4), got (2, 5)"),
    (lambda: focal_loss(Z(2, 1, 8, 8), Z(2, 2, 8, 8)), "focal: pred and targ must have the same shape"),
    (lambda: focal_loss(Z(1, 1, 2, 2), Z(1, 1, 2, 2), alpha=-1), "focal: alpha and beta must be >= 0"),
    (lambda: masked_l1_loss(Z(2, 2, 8, 8), Z(2, 2, 8, 8), Z(2, 2, 8, 8)), "masked_l1: mask must have shape (2, 1, 8, 8), got (2, 2, 8, 8)"),
    (lambda: masked_l1_loss(Z(2, 2, 8, 8), Z(2, 2, 8, 8), Z(8, 8)), "masked_l1: mask must have 3 or 4 dimensions, got shape (8, 8)"),
    (lambda: vq_loss(Z(2, 8), Z(2, 4)), "vq: z_e and e must have the same shape, got (2, 8) and (2, 4)"),
    (lambda: vq_loss(Z(2, 8), Z(2, 8), beta=-0.1), "vq: beta must be >= 0, got -0.1"),
])
def test_bad_inputs(f, msg):
    with pytest.raises(LossError) as e: f()
    assert msg in str(e.value)


def test_multitask_bad_heads():
    mtl = MultiTaskLoss()
    with pytest.raises(LossError, match="unknown head 'skel' in weights; expected one of skeleton, keypoints, tangent, width, offset"): MultiTaskLoss(weights={'skel': 1.})
    with pytest.raises(LossError, match="unknown head 'mask' in preds"): mtl({'mask': Z(1, 1, 8, 8)}, {})
    with pytest.raises(LossError, match="unknown head 'mask' in targs"): mtl({}, {'mask': Z(1, 1, 8, 8)})
    with pytest.raises(LossError, match="head 'width' is in preds but not in targs"): mtl({'width': Z(1, 1, 8, 8)}, {})
    with pytest.raises(LossError, match="preds must be a dict"): mtl([Z(1)], {})
    with pytest.raises(LossError, match="multitask: preds is empty"): mtl({}, {})
    with pytest.raises(LossError, match="losses must be a dict"): MultiTaskLoss(losses=['focal'])
    with pytest.raises(LossError, match="unknown loss 'dice'"): MultiTaskLoss(losses={'skeleton': 'dice'})
    custom = MultiTaskLoss(losses={'skeleton': 'l2', 'mask': 'l1'})          # a new head weighs 1, a known one keeps its V5 weight
    assert custom.weights == {'skeleton': 10., 'mask': 1.}


def test_perceptual_bad_input():
    pl = PerceptualLoss(None)
    with pytest.raises(LossError, match=r"perceptual: images must have shape \(B, 1, H, W\) \(ink\) or \(B, 3, H, W\) \(RGB\), got \(1, 2, 32, 32\)"): pl(Z(1, 2, 32, 32), Z(1, 2, 32, 32))
    with pytest.raises(LossError, match="perceptual: images must be at least 16 x 16 px"): pl(Z(1, 1, 8, 8), Z(1, 1, 8, 8))
    with pytest.raises(LossError, match="perceptual: pred and targ must have the same shape"): pl(Z(1, 1, 32, 32), Z(1, 1, 32, 31))
    assert PerceptualLoss(None, layers=('relu1_2',)).min_size == 1                 # a shallow layer needs no minimum
    with pytest.raises(LossError, match="unknown VGG16 layer 'conv1_1'"): PerceptualLoss(None, layers=('conv1_1',))
    with pytest.raises(LossError, match="dist must be 'l1' or 'l2', got 'l3'"): PerceptualLoss(None, dist='l3')
    with pytest.raises(LossError, match="reduction must be 'mean' or 'none', got 'sum'"): PerceptualLoss(None, reduction='sum')
    with pytest.raises(LossError, match=r"momentum must be in \[0, 1\), got 1"): PerceptualLoss(None, momentum=1)


def test_weights_never_silently_replaced(tmp_path):
    for arch, make in (('vgg16', PerceptualLoss), ('alexnet', LPIPSLoss)):
        if not imagenet_weights_file(arch).exists():
            with pytest.raises(LossError, match=f"ImageNet {arch} weights not found at"): make('imagenet')
        with pytest.raises(LossError, match="weights file .*missing.pth not found"): make(tmp_path / 'missing.pth')
        with pytest.raises(LossError, match="weights must be 'imagenet', None or a path, got 3"): make(3)
    bad = tmp_path / 'bad.pth'; bad.write_text('not a checkpoint')
    with pytest.raises(LossError, match="cannot read weights file"): load_backbone(bad, 'vgg16')
    lst = tmp_path / 'list.pth'; torch.save([1, 2], lst)
    with pytest.raises(LossError, match="holds a list, expected a state dict"): load_backbone(lst, 'vgg16')
    wrong = tmp_path / 'alex_as_vgg.pth'
    torch.save({'features.0.weight': torch.zeros(64, 3, 11, 11), 'features.0.bias': torch.zeros(64)}, wrong)
    with pytest.raises(LossError, match="not a torchvision vgg16 state dict"): PerceptualLoss(wrong)


def test_perceptual_state_dict_roundtrip(tmp_path):
    "The running means survive a save / load; the frozen network is rebuilt from `weights`, not saved."
    pl = PerceptualLoss(None).train()
    pl(torch.rand(2, 1, 16, 16), torch.rand(2, 1, 16, 16))
    torch.save(pl.state_dict(), tmp_path / 'loss.pt')
    pl2 = PerceptualLoss(None)
    pl2.load_state_dict(torch.load(tmp_path / 'loss.pt', weights_only=True))
    assert torch.equal(pl2.running, pl.running) and int(pl2.n_seen) == 1
    nested = torch.nn.ModuleDict({'p': pl})                                   # under a prefix, as inside a Learner
    assert sorted(nested.state_dict()) == ['p.n_seen', 'p.running']
    torch.nn.ModuleDict({'p': PerceptualLoss(None)}).load_state_dict(nested.state_dict())


def test_step_inputs_accepted():
    "Steps (B, T, 6), points with mask, and StrokeBatch all work for the geometry losses."
    steps = torch.rand(2, 6, 6); steps[..., 0] = torch.tensor([PEN_START, 0, 0, PEN_START, 0, PEN_END])
    sb = StrokeBatch(torch.rand(2, 3, 4, 2), torch.full((2, 3, 4), 0.02), torch.ones(2, 3, 4, dtype=torch.bool))
    for f in (smoothness_loss, outside_loss):
        for x in (steps, sb, sb.pts): assert torch.isfinite(f(x))
    assert torch.isfinite(angle_loss(steps))


def test_lpips_vgg_backbone():
    "The VGG backbone of LPIPS builds without any download and scores identical images 0."
    lpv = LPIPSLoss(None, net='vgg')
    x = torch.rand(2, 1, 16, 16)
    assert lpv(x, x).item() == 0 and lpv(x, torch.rand(2, 1, 16, 16)).item() > 0
