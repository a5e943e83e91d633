"""Bare-quantizer benchmark: inktrace `VectorQuantizerEMA` vs `vector_quantize_pytorch.VectorQuantize` on a drifting stream.

The stream imitates an encoder's output while it trains: a mixture of `--clusters` Gaussian clusters in `D` dims,
off-centre (mean about 4 per dim), with unequal weights (Zipf-like) and widths; every centre moves steadily for the
first 2/3 of the steps (each by about 11 in norm, a cluster spacing is about 23), then stays. Both quantizers see the
same batches in training mode (EMA decay 0.99, k-means init on the first batch; the peer with
`threshold_ema_dead_code=2`).

Figures, the same definition for both:
- usage: the share of the K codes that are the nearest code (squared Euclidean) of at least one of `--heldout`
  vectors (default 64 per code) drawn from the final distribution, searched in each quantizer's final codebook. This
  is what a decoder would see after training; a count of training-batch hits would credit codes re-seeded on the
  very vectors being counted.
- mse: mean squared error per dimension of those held-out vectors against their nearest code.
- train usage: codes hit by at least one training vector, as each quantizer assigned them, over the last 50 steps.
- ms/step: wall time of one training forward (single thread, data generation excluded).

    python tests/bench_vq.py                    # 300 steps, K=1024, D=64, batch 4096, seeds 0 1 2
    python tests/bench_vq.py --quick            # 120 steps, batch 2048, seed 0
    python tests/bench_vq.py --ours reset_from=worst --ours dead_patience=0   # extra rows: ours with other options
    python tests/bench_vq.py --no-ours          # the peer only (--no-peer: ours only)
"""
import argparse, time
import torch


def make_stream(seed, steps, D, clusters=512):
    "`batch(t, n, gen)`: `n` vectors `(n, D)` of the distribution at step `t` (the final one for `t >= steps`)."
    g = torch.Generator().manual_seed(seed)
    c0 = torch.randn(clusters, D, generator=g) * 2 + 4                       # off-centre: mean 4, spacing ~ 2*sqrt(2D)
    move = torch.randn(clusters, D, generator=g) + 1                        # each centre's total drift (a shared part too)
    sig = 0.4 + 0.5 * torch.rand(clusters, generator=g)                      # cluster widths
    w = (torch.arange(clusters) + 10.0) ** -0.8; w = w[torch.randperm(clusters, generator=g)]   # unequal weights
    settle = max(1, (2 * steps) // 3)
    def batch(t, n, gen):
        c = c0 + min(t / settle, 1.0) * move                                 # moves until 2/3 of the steps, then settles
        i = torch.multinomial(w, n, replacement=True, generator=gen)
        return c[i] + sig[i, None] * torch.randn(n, D, generator=gen)
    return batch


def ours(K, D, **kw):
    from inktrace.vq.quantizer import VectorQuantizerEMA
    vq = VectorQuantizerEMA(K, D, decay=0.99, kmeans_init=True, **kw).train()
    def step(z):                                                             # z (N, D) -> indices (N,)
        return vq(z.t().reshape(1, D, -1, 1)).indices.flatten()
    return step, lambda: vq.codebook().detach()


def peer(K, D):
    from vector_quantize_pytorch import VectorQuantize
    vq = VectorQuantize(dim=D, codebook_size=K, decay=0.99, kmeans_init=True, threshold_ema_dead_code=2,
                        commitment_weight=0.25).train()
    def step(z): return vq(z[None])[1].flatten()
    return step, lambda: vq._codebook.embed[0].detach()


@torch.no_grad()
def nearest(x, e, chunk=8192):
    "Nearest code index and squared distance of each row of `x` in codebook `e`."
    idx, d2 = [], []
    for xs in x.split(chunk):
        d = (xs ** 2).sum(1, keepdim=True) - 2 * xs @ e.t() + (e ** 2).sum(1)[None]
        v, i = d.min(1); idx.append(i); d2.append(v.clamp_min(0))
    return torch.cat(idx), torch.cat(d2)


def run_one(make, seed, args):
    torch.manual_seed(seed)                                                  # the quantizers' own randomness
    batch = make_stream(seed, args.steps, args.D, args.clusters)
    step, codebook = make()
    gen, hits, times = torch.Generator().manual_seed(10_000 + seed), torch.zeros(args.K), []
    for t in range(args.steps):
        z = batch(t, args.batch, gen)
        t0 = time.perf_counter(); idx = step(z); times.append(time.perf_counter() - t0)
        if t >= args.steps - 50: hits += torch.bincount(idx, minlength=args.K)
    x = batch(args.steps, args.heldout or 64 * args.K, torch.Generator().manual_seed(20_000 + seed))
    e = codebook().float()
    i, d2 = nearest(x, e)
    return dict(usage=float((torch.bincount(i, minlength=args.K) > 0).float().mean()), mse=float(d2.mean()) / args.D,
                train_usage=float((hits > 0).float().mean()), ms=1000 * sum(times[1:]) / max(1, len(times) - 1))


def parse_kw(s):
    kw = {}
    for p in filter(None, s.split(',')):
        k, v = p.split('=')
        try: v = int(v)
        except ValueError:
            try: v = float(v)
            except ValueError: v = {'True': True, 'False': False}.get(v, v)
        kw[k] = v
    return kw


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--steps', type=int, default=300); p.add_argument('--K', type=int, default=1024)
    p.add_argument('--D', type=int, default=64); p.add_argument('--batch', type=int, default=4096)
    p.add_argument('--clusters', type=int, default=512); p.add_argument('--heldout', type=int, default=0)
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--quick', action='store_true', help='120 steps, batch 2048, seed 0')
    p.add_argument('--ours', action='append', default=[], help='extra row: ours with options k=v,k=v')
    p.add_argument('--no-peer', action='store_true'); p.add_argument('--no-ours', action='store_true'); p.add_argument('--threads', type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.quick: args.steps, args.batch, args.seeds = 120, 2048, [0]
    rows = {} if args.no_ours else {'inktrace (defaults)': lambda: ours(args.K, args.D)}
    for s in args.ours: rows[f'inktrace ({s})'] = (lambda kw: lambda: ours(args.K, args.D, **kw))(parse_kw(s))
    if not args.no_peer: rows['vector-quantize-pytorch'] = lambda: peer(args.K, args.D)
    print(f"steps {args.steps}, K {args.K}, D {args.D}, batch {args.batch}, seeds {args.seeds}, {torch.get_num_threads()} thread(s)\n")
    print("| quantizer | usage (held-out) | MSE | train usage, last 50 | ms/step |\n|---|---:|---:|---:|---:|")
    for name, make in rows.items():
        rs = [run_one(make, s, args) for s in args.seeds]
        f = lambda k, fmt: (f"{sum(r[k] for r in rs) / len(rs):{fmt}}"
                            + (f" ± {torch.tensor([r[k] for r in rs]).std().item():{fmt}}" if len(rs) > 1 else ''))
        print(f"| {name} | {f('usage', '.3f')} | {f('mse', '.3f')} | {f('train_usage', '.3f')} | {f('ms', '.1f')} |", flush=True)


if __name__ == '__main__': main()
