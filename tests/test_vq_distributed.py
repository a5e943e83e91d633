"""Two CPU processes (gloo) keep identical codebooks: k-means init, EMA statistics and dead-code resets are shared
(all-reduce / broadcast), although each process quantizes different data."""
import os, socket
import torch, torch.distributed as dist, torch.multiprocessing as mp


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


def _worker(rank, world, port, out):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    from inktrace.vq.quantizer import VectorQuantizerEMA
    torch.manual_seed(0)                                   # the same initial codes on both
    vq = VectorQuantizerEMA(64, 8, kmeans_init=True, dead_threshold=0.5, decay=0.9)
    g = torch.Generator().manual_seed(100 + rank)          # different data per process
    for step in range(12):
        vq(torch.randn(2, 8, 8, 8, generator=g) * (1 + step) + rank)
    es = [torch.zeros_like(vq.embed) for _ in range(world)]
    dist.all_gather(es, vq.embed.contiguous())
    cs = [torch.zeros_like(vq.cluster_size) for _ in range(world)]
    dist.all_gather(cs, vq.cluster_size.contiguous())
    if rank == 0:
        torch.save({"embed_equal": all(torch.equal(es[0], e) for e in es), "counts_equal": all(torch.equal(cs[0], c) for c in cs),
                    "resets": int(vq.n_resets)}, out)
    dist.destroy_process_group()


def test_two_processes_share_the_codebook(tmp_path):
    out = tmp_path / "r.pt"
    mp.spawn(_worker, args=(2, _free_port(), str(out)), nprocs=2, join=True)
    r = torch.load(out)
    assert r["embed_equal"] and r["counts_equal"], r
    assert r["resets"] > 0                                 # the resets happened, and stayed in sync
