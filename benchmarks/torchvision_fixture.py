"""Dumps the ground truth the ImageNet ResNet tests compare against (run with Debian's python3-torchvision):
parameter/buffer names of torchvision's resnet18/resnet50 and their logits for fixed inputs, with weights
filled by the same formula the Java test uses (no weights are committed, only names and outputs).

    /usr/bin/python3 benchmarks/torchvision_fixture.py src/test/resources/torchvision
"""
import json, math, sys
import torch, torchvision

def fill(name, t, salt):
    n = t.numel()
    i = torch.arange(n, dtype=torch.float64)
    # a smooth, name-independent pattern in [-1, 1], scaled to keep activations O(1)
    v = torch.sin(i * 0.7071 + salt * 1.3)
    if name.endswith("running_var"):
        return (1.0 + 0.5 * v.abs()).reshape(t.shape)
    if name.endswith("running_mean") or name.endswith(".bias"):
        return (0.1 * v).reshape(t.shape)
    if name.endswith("num_batches_tracked"):
        return torch.zeros(t.shape)
    if t.dim() == 1:   # BN weight
        return (1.0 + 0.2 * v).reshape(t.shape)
    fan_in = n // t.shape[0]
    return (v * math.sqrt(3.0 / fan_in)).reshape(t.shape)

def main(out):
    result = {}
    for arch, size in (("resnet18", 64), ("resnet50", 64)):
        model = getattr(torchvision.models, arch)(num_classes=10).double().eval()
        state = model.state_dict()
        with open(f"{out}/{arch}_keys.txt", "w") as f:
            for k, v in state.items():
                f.write(f"{k} {list(v.shape)}\n")
        new = {}
        for salt, (k, v) in enumerate(state.items()):
            new[k] = fill(k, v, salt).to(v.dtype)
        model.load_state_dict(new)
        n = 2 * 3 * size * size
        x = torch.sin(torch.arange(n, dtype=torch.float64) * 0.013).reshape(2, 3, size, size)
        with torch.no_grad():
            y = model(x)
        params = sum(p.numel() for p in getattr(torchvision.models, arch)().parameters())
        result[arch] = {"input_size": size, "logits": y.tolist(), "params_1000_classes": params}
    with open(f"{out}/forward.json", "w") as f:
        json.dump(result, f, indent=1)

if __name__ == "__main__":
    main(sys.argv[1])
