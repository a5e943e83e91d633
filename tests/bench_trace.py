"""End-to-end tracing speed: characters per second at 256 x 256 (read the PNG, model, tracing, order, write the
JSON), for the learned tracer and the classical baseline in the same run, on the KanjiVG test split.

    python tests/bench_trace.py [--n 100] [--threads 2] [--device cpu|cuda] [--batch 256] [--lang ja|zh] [--render medians|glyph]

--lang zh traces our Make Me a Hanzi validation characters (needs `npm install hanzi-writer-data`) with the Chinese
models; --render glyph draws them from the font's filled outlines instead of the medians.

With --device cuda it also measures the batched dense-model part alone (images/s, the GPU bar is >= 5000).

    python tests/bench_trace.py --workers 1 2 [--n 60]

measures instead how `inktrace trace --workers N` (trace.archive) scales: the same images traced into JSON by the
command once per N (torch threads per worker: cores // N), wall-clock images/s (tracer and process start-up included)
and each worker's own rate (images/s while tracing, from the manifest's seconds)."""
import argparse, json, os, tempfile, time
from pathlib import Path
import numpy as np, torch
from PIL import Image


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100); ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu"); ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--style", default="clean"); ap.add_argument("--lang", default="ja", choices=("ja", "zh"))
    ap.add_argument("--render", default="medians", choices=("medians", "glyph"))
    ap.add_argument("--workers", type=int, nargs="+", help="measure `inktrace trace --workers N` for each N instead")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from inktrace.trace.evaluate import kanjivg_test_set, hanzi_test_set
    from inktrace.trace.tracer import Tracer
    from inktrace.trace.baseline import trace_classical
    from inktrace.trace.files import trace_files
    from inktrace.images import read_ink
    from inktrace.io import strokes_to_json
    ts = kanjivg_test_set(a.n, a.style) if a.lang == "ja" else hanzi_test_set(a.n, a.style, render=a.render)
    tmp = Path(tempfile.mkdtemp())
    for i, ink in enumerate(ts.inks): Image.fromarray(np.uint8(np.round((1 - ink) * 255))).save(tmp / f"{i:04d}.png")
    files = sorted(tmp.glob("*.png"))
    if a.workers: return bench_workers(a, tmp, len(files))
    tracer = Tracer(device=a.device, lang=a.lang)
    tracer.trace_ink(ts.inks[0]); trace_classical(ts.inks[0])                   # warm-up (skan compiles on first use)
    t0 = time.perf_counter()
    trace_files(tracer, [(f, None) for f in files], tmp / "learned", ("json",), progress=False)
    t_learned = time.perf_counter() - t0
    t0 = time.perf_counter()
    (tmp / "baseline").mkdir()
    for f in files:
        ink = read_ink(f)
        (tmp / "baseline" / f"{f.stem}.json").write_text(json.dumps(strokes_to_json(trace_classical(ink), ink.shape)))
    t_base = time.perf_counter() - t0
    r_l, r_b = len(files) / t_learned, len(files) / t_base
    print(f"machine: {os.cpu_count()} CPU cores, torch threads {a.threads}, device {a.device}; {len(files)} {'KanjiVG test' if a.lang == 'ja' else 'Make Me a Hanzi valid (' + a.render + ')'} characters, 256x256, {a.style}, --lang {a.lang}")
    print(f"learned tracer: {r_l:.1f} chars/s end to end; classical baseline: {r_b:.1f} chars/s; ratio {r_l / r_b:.2f}x (bar >= 0.3x, goal 1x)")
    if a.device.startswith("cuda"):
        m = tracer.model
        x = torch.rand(a.batch, 1, 128, 128, device=a.device)
        with torch.no_grad(), torch.autocast("cuda", dtype=torch.float16):
            for _ in range(3): m(x)
            torch.cuda.synchronize(); t0 = time.perf_counter()
            for _ in range(20): m(x)
            torch.cuda.synchronize()
        print(f"dense model alone, batch {a.batch} at 128x128 (the working size of a 256x256 character): {20 * a.batch / (time.perf_counter() - t0):.0f} images/s")


def bench_workers(a, tmp, n):
    "`inktrace trace DIR -o OUT --workers N` on the images in `tmp`, once per N: images/s end to end and per worker."
    from inktrace.cli import get_parser
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cores} CPU cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {n} {'KanjiVG test' if a.lang == 'ja' else 'Make Me a Hanzi valid'} characters, 256x256, "
          f"shipped model, --lang {a.lang}, --format json, --batch-size 8")
    base = None
    for w in a.workers:
        out = tmp / f"workers{w}"
        args = get_parser().parse_args(["trace", str(tmp), "-o", str(out), "--format", "json", "--lang", a.lang, "--device", a.device,
                                        "--workers", str(w), "--threads", str(max(1, cores // w))])
        t0 = time.perf_counter(); res = args.func(args); dt = time.perf_counter() - t0
        secs = [r["seconds"] for r in map(json.loads, (out / "manifest.jsonl").read_text().splitlines()) if r["status"] == "done"]
        rate = len(res["done"]) / dt; base = base or rate
        print(f"--workers {w} (torch threads {max(1, cores // w)} each): {rate:.2f} images/s end to end ({rate / base:.2f}x), "
              f"{1 / np.mean(secs):.2f} images/s per worker while tracing; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
