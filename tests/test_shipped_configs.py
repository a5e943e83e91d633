"""A shipped model is reproducible from the repository's configs: the config its JSON records (what the run used) is
what its `command`'s config and stage resolve to today, key by key (keys added since, with defaults that keep the old
behaviour, may be extra)."""
import json, shlex
from pathlib import Path
import pytest
from inktrace.train.config import load_config, config_to_dict

ROOT = Path(__file__).resolve().parents[1]


def _diff(shipped:dict, now:dict, prefix='')->list:
    out = []
    for k, v in shipped.items():
        if k not in now: out.append(f"{prefix}{k}: not in the config")
        elif isinstance(v, dict) and isinstance(now[k], dict): out += _diff(v, now[k], f"{prefix}{k}.")
        elif v != now[k]: out.append(f"{prefix}{k}: shipped {v!r}, config {now[k]!r}")
    return out


@pytest.mark.parametrize("asset", ["vqvae_v1", "vqgan_v1"])   # the VQ-VAE, and the shipped VQ-GAN trained on from it
def test_shipped_model_config_is_in_the_repo(asset):
    meta = json.loads((ROOT / "inktrace" / "assets" / f"{asset}.json").read_text())
    argv = shlex.split(meta["command"].split("(")[0])                      # the command, without its prose
    cfg, stage = argv[argv.index("--config") + 1], argv[argv.index("--stage") + 1]
    init = [f"init_from={argv[argv.index(k) + 1]}" for k in ("--init_from", "--init-from") if k in argv]
    now = config_to_dict(load_config(ROOT / cfg, stage=stage, overrides=init))
    now["output_dir"] = meta["config"].get("output_dir")                  # where the run was written is not part of the model
    assert not _diff(meta["config"], now), _diff(meta["config"], now)
