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
    dist.barrier()                                         # nobody leaves while the other still talks (a peer gone early aborts gloo)
    dist.destroy_process_group()


def test_two_processes_share_the_codebook(tmp_path):
    out = tmp_path / "r.pt"
    mp.spawn(_worker, args=(2, _free_port(), str(out)), nprocs=2, join=True)
    r = torch.load(out, weights_only=True)
    assert r["embed_equal"] and r["counts_equal"], r
    assert r["resets"] > 0                                 # the resets happened, and stayed in sync


def _disc_worker(rank, world, port, out):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    from inktrace.vq.gan import PatchGAN, GANCallback
    torch.manual_seed(0)                                   # the same initial discriminator on both
    cb = GANCallback(PatchGAN(1, 8, 2), lr=1e-3)
    g = torch.Generator().manual_seed(100 + rank)          # different images per process
    for _ in range(4): cb.disc_step(torch.rand(2, 1, 32, 32, generator=g) * 2 - 1, torch.rand(2, 1, 32, 32, generator=g) * 2 - 1)
    sd = cb.disc.state_dict()
    ok = True
    for k, v in sd.items():
        vs = [torch.zeros_like(v) for _ in range(world)]
        dist.all_gather(vs, v.contiguous())
        ok &= all(torch.allclose(vs[0], x) for x in vs)
    if rank == 0: torch.save({"equal": bool(ok)}, out)
    dist.barrier()
    dist.destroy_process_group()
    # This worker imports fastai (through inktrace.vq.gan). In one full CI run, a thread it left behind made the
    # interpreter's teardown abort ("terminate called without an active exception") after the result was saved.
    # Leave without teardown: the result file is what the test checks.
    os._exit(0)


def test_two_processes_share_the_discriminator(tmp_path):
    out = tmp_path / "d.pt"
    mp.spawn(_disc_worker, args=(2, _free_port(), str(out)), nprocs=2, join=True)
    assert torch.load(out, weights_only=True)["equal"]                        # VQ-GAN's discriminator (weights and BatchNorm statistics) stays in sync
