"What a fresh install must give: the pinned nbdev stack, torch + torchvision from the index that load together, the console script."
import shutil, subprocess, sys
from importlib.metadata import version
from packaging.version import Version


def test_torchvision_ops_loads():
    import torch, torchvision.ops                                   # a CPU-only torch wheel cannot load the index's torchvision
    boxes = torch.tensor([[0., 0., 2., 2.], [1., 1., 3., 3.]])
    assert torchvision.ops.box_iou(boxes, boxes).shape == (2, 2)


def test_pinned_stack():
    assert Version(version("fastcore")) < Version("2")
    assert Version(version("fastai")) == Version("2.8.7")
    assert version("nbdev").startswith("2.4."), version("nbdev")   # the dev extra: nbdev 3 refuses settings.ini


def test_console_script_and_module():
    exe = shutil.which("inktrace")
    assert exe, "pip install -e . should put `inktrace` on PATH"
    for cmd in ([exe, "--version"], [sys.executable, "-m", "inktrace", "--version"]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and r.stdout.startswith("inktrace "), r.stderr
