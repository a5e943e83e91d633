"""Data-pipeline benchmark: samples/s of 128 x 128 images with all dense targets, and the cost of each step.

Case from the data issue: batches of 64 curriculum drawings at 128 x 128 px, every target of
`inktrace.data.targets.dense_targets`, goal >= 500 samples/s on the 2-core dev CPU.
Run: `python tests/bench_data.py [--stages 0,3,7,9] [--strengths 1,0] [--batches 4] [--workers 0]`.
Prints one table; not a test. Times are wall clock of this process (other jobs on the machine slow it:
the load average is printed) and, per step, CPU time of this process (less sensitive to that load).
"""
import argparse, os, platform, time
import numpy as np, torch
from inktrace.core import keyed_rng
from inktrace.data.loaders import synth_dls, SynthDataset
from inktrace.data.inkstyle import apply_style
from inktrace.data.targets import find_keypoints, stroke_fields, dense_targets, as_stroke_batch, StrokeGeom, torch_threads


def loader_rate(stage, strength, bs, size, batches, workers, threads):
    "Samples/s through `synth_dls(...).train` (wall), after one warm-up batch."
    dls = synth_dls(stage=stage, bs=bs, n_train=bs * (batches + 1), sizes=(size,), style_strength=strength,
                    num_workers=workers, device='cpu', gen_threads=threads)
    it = iter(dls.train); next(it)
    t0 = time.perf_counter()
    n = sum(len(xb) for xb, _ in it)
    return n / (time.perf_counter() - t0)


def steps(stage, strength, bs, size, batches, threads):
    "CPU ms per batch of each step: items (drawings + styles), apply_style, keypoints, fields, all targets."
    out = {k: [] for k in ('items', 'apply_style', 'keypoints', 'fields', 'targets')}
    ds = SynthDataset(bs * batches, stage, seed=1, style_strength=strength)
    with torch_threads(threads):
        for b in range(batches):
            t = time.process_time(); items = [ds[i] for i in range(b * bs, (b + 1) * bs)]; out['items'].append(time.process_time() - t)
            t = time.process_time()
            _, drawn = apply_style([o.strokes for o in items], [o.style for o in items], size, seed=keyed_rng(*[o.seed for o in items]), return_strokes=True)
            out['apply_style'].append(time.process_time() - t)
            sb = as_stroke_batch(drawn)
            t = time.process_time(); find_keypoints(StrokeGeom(sb)); out['keypoints'].append(time.process_time() - t)
            t = time.process_time(); stroke_fields(sb, size); out['fields'].append(time.process_time() - t)
            t = time.process_time(); dense_targets(drawn, size, threads=None); out['targets'].append(time.process_time() - t)
    return {k: 1e3 * float(np.median(v)) for k, v in out.items()}


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--stages', default='0,3,7,9'); ap.add_argument('--strengths', default='1,0')
    ap.add_argument('--bs', type=int, default=64); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--batches', type=int, default=4); ap.add_argument('--workers', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1, help='torch threads while generating (0: leave as is)')
    a = ap.parse_args()
    thr = a.threads or None
    cpu = platform.processor() or platform.machine()
    print(f"machine: {cpu}, {os.cpu_count()} cores; torch {torch.__version__}; load average {os.getloadavg()[0]:.1f} at start")
    print(f"case: batches of {a.bs} at {a.size}x{a.size} px, all targets; {a.workers} loader workers; generation in {thr or torch.get_num_threads()} torch thread(s)")
    print(f"{'stage':>5s} {'style':>5s} {'samples/s':>10s} | CPU ms per batch: {'items':>6s} {'apply_style':>11s} {'targets':>8s} (keypoints {'':>1s} fields) | targets alone samples/s")
    for st in [int(s) for s in a.stages.split(',')]:
        for sg in [float(s) for s in a.strengths.split(',')]:
            r = loader_rate(st, sg, a.bs, a.size, a.batches, a.workers, thr)
            s = steps(st, sg, a.bs, a.size, a.batches, thr)
            print(f"{st:5d} {sg:5.1f} {r:10.0f} | {'':18s}{s['items']:6.0f} {s['apply_style']:11.0f} {s['targets']:8.0f} ({s['keypoints']:9.0f} {s['fields']:6.0f}) | {a.bs / s['targets'] * 1e3:8.0f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
