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


@pytest.mark.parametrize("asset", ["vqvae_v1"])
def test_shipped_model_config_is_in_the_repo(asset):
    meta = json.loads((ROOT / "inktrace" / "assets" / f"{asset}.json").read_text())
    argv = shlex.split(meta["command"].split("(")[0])                      # the command, without its prose
    cfg, stage = argv[argv.index("--config") + 1], argv[argv.index("--stage") + 1]
    now = config_to_dict(load_config(ROOT / cfg, stage=stage))
    assert not _diff(meta["config"], now), _diff(meta["config"], now)
