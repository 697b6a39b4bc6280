#!/usr/bin/env python3
"""PyTorch peer for `reaper bench`: the same models, batch, thread count and step
(forward, mean cross-entropy, backward, SGD momentum 0.9 update) on random data.
Prints one JSON line with the same keys as `reaper bench --json`.

--config fast (the default) is what a user tuning PyTorch for CPU speed runs: channels_last
activations and weights, so every convolution, batch norm and pooling goes through oneDNN's
blocked kernels; on --device cuda it also lets cuDNN time its algorithms once per shape
(torch.backends.cudnn.benchmark), as a user tuning for GPU speed would. --config stock is PyTorch out
of the box (NCHW, cuDNN's heuristic algorithm choice). --profile prints torch.profiler's
per-op table (self CPU time per step) to stderr."""
import argparse, json, resource, statistics, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def vanilla(n_layers=3, width=32, pool=False, classes=10):
    layers, c, hw = [], 3, 32
    for _ in range(n_layers):
        layers += [nn.Conv2d(c, width, 3, padding=1), nn.ReLU()]
        if pool:
            layers.append(nn.MaxPool2d(2))
            hw //= 2
        c = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(width * hw * hw, classes))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.pad = cout - cin if (stride != 1 or cin != cout) else 0
        self.stride = stride

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        sc = x
        if self.pad or self.stride != 1:  # option A: subsample + zero-pad channels
            sc = x[:, :, ::self.stride, ::self.stride]
            sc = F.pad(sc, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        return F.relu(out + sc)


class ResNetCifar(nn.Module):
    def __init__(self, depth=20, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                blocks.append(BasicBlock(cin, cout, stride if i == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def build(name):
    if name == "c3-32":
        return vanilla(pool=False)
    if name == "c3-32-pool":
        return vanilla(pool=True)
    if name.startswith("resnet"):
        return ResNetCifar(int(name[6:]))
    sys.exit(f"pytorch_peer: unknown model {name}")


def profile(step, a, steps=5):
    """Self CPU time per op and step, largest first, as a markdown table on stderr."""
    from torch.profiler import ProfilerActivity, profile as torch_profile
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    rows = [e for e in prof.key_averages() if e.self_cpu_time_total > 0]
    rows.sort(key=lambda e: -e.self_cpu_time_total)
    total = sum(e.self_cpu_time_total for e in rows)
    print(f"| PyTorch {a.config} op ({a.model}, batch {a.batch}, {a.threads} threads) | calls/step | ms/step | share |", file=sys.stderr)
    print("|---|---|---|---|", file=sys.stderr)
    for e in rows[:25]:
        print(f"| {e.key} | {e.count / steps:g} | {e.self_cpu_time_total / 1e3 / steps:.2f} | {e.self_cpu_time_total / total:.1%} |",
              file=sys.stderr)
    print(f"| all ops | | {total / 1e3 / steps:.2f} | |", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="c3-32-pool")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--config", choices=("fast", "stock"), default="fast")
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    dev = torch.device(a.device)
    fast = a.config == "fast"
    torch.backends.mkldnn.enabled = True
    torch.backends.cudnn.benchmark = fast and dev.type == "cuda"
    fmt = torch.channels_last if fast else torch.contiguous_format
    model = build(a.model).to(dev, memory_format=fmt).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(a.batch, 3, 32, 32, device=dev).contiguous(memory_format=fmt)
    y = torch.randint(0, 10, (a.batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        if dev.type == "cuda":
            torch.cuda.synchronize()

    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    if a.profile:
        profile(step, a)
    med = statistics.median(times)
    print(json.dumps({
        "peer": "pytorch", "torch": torch.__version__, "config": a.config, "model": a.model, "batch": a.batch,
        "threads": a.threads, "device": a.device, "ms_per_step": round(med, 3),
        "ms_p10": round(times[len(times) // 10], 3), "ms_p90": round(times[(len(times) * 9) // 10], 3),
        "images_per_s": round(a.batch / med * 1e3, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
