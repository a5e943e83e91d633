"""End-to-end tracing speed: characters per second at 256 x 256 (read the PNG, model, tracing, order, write the
JSON), for the learned tracer and the classical baseline in the same run, on the KanjiVG test split.

    python tests/bench_trace.py [--n 100] [--threads 2] [--device cpu|cuda] [--batch 256] [--lang ja|zh] [--render medians|glyph]

--lang zh traces our Make Me a Hanzi validation characters (needs `npm install hanzi-writer-data`) with the Chinese
models; --render glyph draws them from the font's filled outlines instead of the medians.

With --device cuda it also measures the batched dense-model part alone (images/s, the GPU bar is >= 5000)."""
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
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from inktrace.trace.evaluate import kanjivg_test_set, hanzi_test_set
    from inktrace.trace.tracer import Tracer
    from inktrace.trace.baseline import trace_classical
    from inktrace.trace.cli import trace_files
    from inktrace.images import read_ink
    from inktrace.io import strokes_to_json
    ts = kanjivg_test_set(a.n, a.style) if a.lang == "ja" else hanzi_test_set(a.n, a.style, render=a.render)
    tmp = Path(tempfile.mkdtemp())
    for i, ink in enumerate(ts.inks): Image.fromarray(np.uint8(np.round((1 - ink) * 255))).save(tmp / f"{i:04d}.png")
    files = sorted(tmp.glob("*.png"))
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


if __name__ == "__main__":
    main()
