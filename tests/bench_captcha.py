"""Captcha solver latency on this machine: milliseconds per captcha at batch 1 (ONNX Runtime FP32 and INT8, and
PyTorch eager), model only and end to end (read the PNG, letterbox, model, decode), on generated test captchas.

    python tests/bench_captcha.py [--n 100] [--threads 2] [--model PATH.safetensors]

The bar (issues 9 and 30) is <= 15 ms per captcha at batch 1 on one thread of the 2-core CPU (`--threads 1`). With a
separate piece the solver uses the piece-conditioned matcher (`inktrace.captcha.match`: OpenCV, numpy and scipy's FFT,
all held to `--threads`): its time is the last row, matching alone and end to end (read both PNGs, match), on the
captchas of the same stream that come with a piece."""
import argparse, platform, tempfile, time
from pathlib import Path
import numpy as np, torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100); ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    try:
        from threadpoolctl import threadpool_limits                # numpy's BLAS too (the matcher's spectra products)
        threadpool_limits(a.threads)
    except ImportError: print("threadpoolctl is not installed: numpy's BLAS runs on its own threads")
    from PIL import Image
    from inktrace.captcha.data import make_captcha, letterbox
    from inktrace.captcha.solve import CaptchaSolver, export_onnx, default_model_path, trained_size
    from inktrace.train.weights import load_weights
    src = Path(a.model) if a.model else default_model_path()
    tmp = Path(tempfile.mkdtemp())
    files = []
    for i in range(a.n):
        s = make_captcha(9001, i, p_separate=0.0)
        f = tmp / f"{i:04d}.png"; Image.fromarray(s.image).save(f); files.append(f)
    model = load_weights(src, 'captcha_hrnet')
    size = trained_size(model.meta)
    solvers = {'torch eager': CaptchaSolver(model, size=size)}
    for name, int8 in (('onnxruntime fp32', False), ('onnxruntime int8', True)):
        p = export_onnx(model, tmp / f"m{int(int8)}.onnx", size, int8=int8)
        solvers[name] = CaptchaSolver(onnx_path=p, size=size, threads=a.threads)
    xb = torch.stack([letterbox(make_captcha(9001, 0).image, size)[0]])
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {a.threads} threads, input {size[0]}x{size[1]}, {a.n} captchas")
    print("| backend | model ms | end-to-end ms |\n|---|---:|---:|")
    for name, s in solvers.items():
        for _ in range(3): s.maps(xb)
        t0 = time.perf_counter()
        for _ in range(a.n): s.maps(xb)
        t_model = (time.perf_counter() - t0) / a.n
        t0 = time.perf_counter()
        for f in files: s(f)
        t_e2e = (time.perf_counter() - t0) / a.n
        print(f"| {name} | {t_model * 1e3:.1f} | {t_e2e * 1e3:.1f} |")
    import cv2
    from inktrace.captcha.match import match_piece
    cv2.setNumThreads(a.threads)
    pairs, i = [], 0
    while len(pairs) < a.n:                                        # captchas with their separate piece
        s = make_captcha(9001, i, p_separate=1.0); i += 1
        fb, fp = tmp / f"bg{i:04d}.png", tmp / f"pc{i:04d}.png"
        Image.fromarray(s.image).save(fb); Image.fromarray(s.piece).save(fp); pairs.append((s.image, s.piece, fb, fp))
    m = CaptchaSolver(method='match')
    for bg, pc, _, _ in pairs[:3]: match_piece(bg, pc)
    t = []
    for bg, pc, _, _ in pairs:
        t0 = time.perf_counter(); match_piece(bg, pc); t.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _, _, fb, fp in pairs: m(fb, fp)
    t_e2e = (time.perf_counter() - t0) / len(pairs)
    print(f"| piece matcher (separate piece; median {np.median(t) * 1e3:.1f}, 95th pct {np.percentile(t, 95) * 1e3:.1f}) | {np.mean(t) * 1e3:.1f} | {t_e2e * 1e3:.1f} |")


if __name__ == "__main__":
    main()
