"""`inktrace trace` on an archive (`trace.archive`): `--workers N` and `--dask` write the same bytes as the plain run,
`manifest.jsonl` lists every input, a second run skips what is done, a run killed with SIGKILL resumes with every input
done exactly once, and `--overwrite` redoes everything. A small dense model is built explicitly (no shipped weights).

The runs call the command's entry point (`inktrace.cli.main`) in this process, except the one killed, a forked
child process: a fresh interpreter pays the imports (torch, ...) again, ~10 s each on a loaded 2-core machine."""
import json, multiprocessing, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest
from PIL import Image

N = 8   # good images; plus one bad file
BS = "2"   # images per model batch in every run here: the archive engines trace the plain run's batches (a model batch's size can move the last float digit)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    "A small untrained dense model whose skeleton head is turned up so that it traces a stroke per image (safetensors + JSON)."
    import torch
    from inktrace.trace.dense import DenseNet, save_dense
    torch.manual_seed(0)
    m = DenseNet(embed_dim=32, num_layers=3)
    with torch.no_grad(): m.heads.skeleton.weight.mul_(20); m.heads.skeleton.bias.fill_(-1.)   # untrained maps give no strokes at all
    return save_dense(m, tmp_path_factory.mktemp("model") / "tiny.safetensors")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    "A folder of N rendered characters (some in a sub-folder) and one bad file (text named .png)."
    from inktrace.data.kanjivg import load_kanjivg
    from inktrace.renderer import render
    d = tmp_path_factory.mktemp("imgs")
    inks = render([k.strokes for k in load_kanjivg("test", n=N)], size=64)[:, 0].numpy()
    (d / "sub").mkdir()
    for i, ink in enumerate(inks): Image.fromarray(np.uint8((1 - ink) * 255)).save(d / (f"sub/c{i}.png" if i % 3 == 2 else f"c{i}.png"))
    (d / "bad.png").write_text("hello")
    return d


def trace(capsys, *args):
    "`inktrace trace ARGS` in this process: `(exit code, stdout, stderr)`."
    from inktrace.cli import main
    capsys.readouterr()
    rc = main(["trace", *map(str, args)])
    out, err = capsys.readouterr()
    return rc, out, err


def tree(d:Path)->dict:
    "`{relative path: bytes}` of the outputs under `d` (the manifest left out)."
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file() and p.name != "manifest.jsonl"}


def lines(out:Path)->list: return [json.loads(l) for l in (out / "manifest.jsonl").read_text().splitlines()]


def last(out:Path)->dict: return {r["path"]: r for r in lines(out)}


def _quiet_main(argv):
    "`inktrace ARGV` in a child process, its output thrown away."
    sys.stdout = sys.stderr = open(os.devnull, "w")
    from inktrace.cli import main
    os._exit(main(argv))


def start(argv):
    "`inktrace ARGV` in a child process: forked where there is fork (the imports done), else a new interpreter; returns its pid and a poll."
    if "fork" in multiprocessing.get_all_start_methods():
        p = multiprocessing.get_context("fork").Process(target=_quiet_main, args=(argv,)); p.start()
        return p.pid, lambda: p.exitcode, p.join
    p = subprocess.Popen([sys.executable, "-m", "inktrace", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p.pid, p.poll, p.wait


@pytest.fixture(scope="module")
def plain(tmp_path_factory, tiny_model, images):
    "The outputs of the plain run (no --workers): one process, no manifest; one torch thread, as every run here (the same threads, the same bytes)."
    from inktrace.cli import main
    out = tmp_path_factory.mktemp("plain") / "out"
    assert main(["trace", str(images), "-o", str(out), "--model", str(tiny_model), "--threads", "1", "--batch-size", BS]) == 0
    assert not (out / "manifest.jsonl").exists()
    t = tree(out)
    assert len(t) == 3 * N and all(len(json.loads(t[f"{k}"])["strokes"]) for k in t if k.endswith(".json"))   # a stroke in each
    return t


def test_workers_match_the_plain_run_then_skip_and_overwrite(tmp_path, capsys, tiny_model, images, plain):
    "--workers 2: the same bytes, a manifest line per input (the bad file with its error); the same command again skips what is done."
    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(images, src)
    cmd = (src, "-o", out, "--model", tiny_model, "--threads", 1, "--batch-size", BS, "--workers", 2)
    rc, so, se = trace(capsys, *cmd)
    assert rc == 0 and f"traced {N} of {N + 1} images" in so and "2 workers" in so and "images/s" in so and "1 failed: bad.png" in so, so + se
    assert tree(out) == plain
    recs, ls = last(out), lines(out)
    assert sorted(recs) == sorted(["bad.png"] + [p.relative_to(src).as_posix() for p in src.rglob("c*.png")])
    assert recs["bad.png"]["status"] == "failed" and "not an image" in recs["bad.png"]["error"]
    from inktrace.trace.archive import file_hash
    for k, r in recs.items():
        if k == "bad.png": continue
        assert r["status"] == "done" and r["strokes"] >= 1 and r["error"] is None and r["seconds"] >= 0 and r["sha256"] == file_hash(src / k)
        assert [x["status"] for x in ls if x["path"] == k] == ["started", "done"]
    shutil.copy(src / "c0.png", src / "new.png"); (out / "new.json").write_text("mine")   # an output in the way, not in the manifest
    rc, so, se = trace(capsys, *cmd)
    assert rc == 0 and f"traced 0 of {N + 2} images" in so and f"{N} skipped (done before" in so, so + se
    assert "new.json exists; pass --overwrite" in se and (out / "new.json").read_text() == "mine"
    assert "new.json exists" in last(out)["new.png"]["error"] and last(out)["bad.png"]["status"] == "failed"
    assert [x["status"] for x in lines(out) if x["path"] == "bad.png"] == ["started", "failed"] * 2   # the failure tried again, once
    (src / "new.png").unlink(); (out / "new.json").unlink()
    rc, so, se = trace(capsys, *cmd[:-2], "--workers", 1, "--overwrite")
    assert rc == 0 and f"traced {N} of {N + 1} images" in so and "skipped (done" not in so, so + se
    assert tree(out) == plain and all(sum(x["status"] == "done" for x in lines(out) if x["path"] == k) == 2 for k in recs if k != "bad.png")


def test_killed_run_resumes_each_input_once(tmp_path, capsys, tiny_model, images, plain):
    "SIGKILL a run once the manifest has a few results; the same command again traces the rest: each input done exactly once."
    out = tmp_path / "out"
    cmd = [images, "-o", out, "--model", tiny_model, "--threads", 1, "--batch-size", BS, "--workers", 1]
    pid, poll, wait = start(["trace", *map(str, cmd)])
    t0 = time.time()
    while time.time() - t0 < 240 and poll() is None:
        if (out / "manifest.jsonl").exists() and sum('"done"' in l for l in (out / "manifest.jsonl").read_text().splitlines()) >= 2: break
        time.sleep(0.02)
    assert poll() is None, "the run finished before it could be killed"
    os.kill(pid, signal.SIGKILL); wait()
    done_before = sum(r["status"] == "done" for r in last(out).values())
    assert 2 <= done_before < N
    rc, so, se = trace(capsys, *cmd)
    assert rc == 0 and f"{done_before} skipped (done before" in so and f"traced {N - done_before} of {N + 1}" in so, so + se
    assert tree(out) == plain                                                   # every output, none twice, the same bytes
    ls = lines(out)
    for k, r in last(out).items():
        assert r["status"] == ("failed" if k == "bad.png" else "done")
        if k != "bad.png": assert sum(x["status"] == "done" for x in ls if x["path"] == k) == 1, k   # traced exactly once over both runs


def test_dask_local_cluster_matches(tmp_path, capsys, tiny_model, images, plain):
    "--dask on a LocalCluster (2 worker processes, 1 thread each): the same bytes and manifest."
    pytest.importorskip("distributed")
    import dask
    from dask.distributed import LocalCluster
    out = tmp_path / "out"
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}), LocalCluster(   # forked from the server of --workers (inktrace imported there)
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        rc, so, se = trace(capsys, images, "-o", out, "--model", tiny_model, "--threads", 1, "--batch-size", BS, "--dask", cluster.scheduler_address)
    assert rc == 0 and f"traced {N} of {N + 1} images" in so and "Dask tcp://" in so, so + se
    assert tree(out) == plain
    recs = last(out)
    assert sum(r["status"] == "done" for r in recs.values()) == N and recs["bad.png"]["status"] == "failed"
