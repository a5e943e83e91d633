"""Renderer benchmark: forward and forward+backward images/s and peak memory, next to skia's forward speed.

Case from the foundation issue: B=32 drawings of 256 x 256 px, 48 strokes x 16 points each, radii 1.5-4.5 px.
Run: `python tests/bench_renderer.py [--device cuda] [--batches 3]`. Prints one table; not a test.
"""
import argparse, platform, resource, time
import torch
from inktrace.renderer import render


def random_batch(bs=32, n_strk=48, n_pts=16, sz=256, seed=0, dtype=torch.float32):
    "Smooth random-walk strokes: steps of 4-10 px, radii 1.5-4.5 px (constant per stroke)."
    g = torch.Generator().manual_seed(seed)
    start = torch.rand(bs, n_strk, 1, 2, generator=g) * 0.8 + 0.1
    ang = torch.rand(bs, n_strk, 1, generator=g) * 6.283 + torch.cumsum(torch.randn(bs, n_strk, n_pts, generator=g) * 0.4, -1)
    step = (torch.rand(bs, n_strk, n_pts, 1, generator=g) * 6 + 4) / sz
    pts = start + torch.cumsum(torch.stack([ang.cos(), ang.sin()], -1) * step, 2) - step[:, :, :1] * 0
    pts = pts.clamp(0.02, 0.98)
    radius = ((torch.rand(bs, n_strk, 1, generator=g) * 3 + 1.5) / sz).expand(bs, n_strk, n_pts).contiguous()
    return pts.to(dtype), radius.to(dtype)


def peak_rss_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(fn, n, sync):
    "Median seconds per call of `fn` over `n` calls (after two warm-up calls)."
    fn(); fn(); sync()
    ts = []
    for _ in range(n):
        t0 = time.perf_counter(); fn(); sync(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]


def skia_forward(pts, radius, sz):
    import skia
    P, R = pts.numpy() * sz, radius.numpy() * sz
    out = []
    for b in range(len(P)):
        surf = skia.Surface(sz, sz); c = surf.getCanvas(); c.clear(skia.ColorTRANSPARENT)
        for s in range(P.shape[1]):
            paint = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=float(2 * R[b, s, 0]),
                               StrokeCap=skia.Paint.kRound_Cap, StrokeJoin=skia.Paint.kRound_Join, Color=skia.ColorBLACK)
            path = skia.Path(); path.moveTo(*P[b, s, 0])
            for p in P[b, s, 1:]: path.lineTo(*p)
            c.drawPath(path, paint)
        out.append(surf.makeImageSnapshot().toarray()[..., 3])
    return out


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--device', default='cpu'); ap.add_argument('--batches', type=int, default=3)
    ap.add_argument('--bs', type=int, default=32); ap.add_argument('--size', type=int, default=256)
    a = ap.parse_args()
    dev = torch.device(a.device)
    sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)
    pts, radius = random_batch(a.bs, sz=a.size)
    pts, radius = pts.to(dev), radius.to(dev)
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats()
    rss0 = peak_rss_mb()

    def fwd():
        with torch.no_grad(): render(pts, radius, size=a.size)

    def fwd_bwd():
        p, r = pts.clone().requires_grad_(), radius.clone().requires_grad_()
        render(p, r, size=a.size).mean().backward()

    t_f = bench(fwd, a.batches, sync)
    t_fb = bench(fwd_bwd, a.batches, sync)
    mem = torch.cuda.max_memory_allocated() / 2**20 if dev.type == 'cuda' else peak_rss_mb()
    t0 = time.perf_counter(); skia_forward(pts.cpu(), radius.cpu(), a.size); t_sk = time.perf_counter() - t0
    cpu = platform.processor() or platform.machine()
    name = torch.cuda.get_device_name() if dev.type == 'cuda' else f"{cpu}, {torch.get_num_threads()} threads"
    print(f"machine: {name}; torch {torch.__version__}; case B={a.bs}, {a.size}x{a.size}, 48 strokes x 16 points")
    print(f"{'':28s}{'images/s':>10s}")
    print(f"{'inktrace forward':28s}{a.bs / t_f:10.1f}")
    print(f"{'inktrace forward+backward':28s}{a.bs / t_fb:10.1f}")
    print(f"{'skia forward (reference)':28s}{a.bs / t_sk:10.1f}")
    print(f"peak memory ({'CUDA allocated' if dev.type == 'cuda' else 'process RSS'}): {mem:.0f} MB (RSS before: {rss0:.0f} MB)")
