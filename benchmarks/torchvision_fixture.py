"""Dumps the ground truth the ImageNet ResNet and VGG tests compare against (run with Debian's python3-torchvision):
parameter/buffer names of torchvision's resnet18/resnet50/vgg16 and their logits for fixed inputs, with weights
filled by the same formula the Java tests use (no weights are committed, only names and outputs).

The ResNets' weights are a sine of the element index: as a matrix [out, fan_in] that is rank 2 (sin(a+b) expands
into two products), so their logits depend only weakly on the input. vgg16 uses "hash" instead: an integer hash of
the index (exact in int64 here and in Java's long), uniform in [-1, 1), with gain 2 (He's variance 2/fan_in) since
it has no batch norm to keep 16 ReLU layers' activations O(1). At 64 px its features end at 2x2, so the fixture also
exercises adaptive pooling's overlapping bins (2x2 -> 7x7); the two images' logits differ by ~16% of the largest.

    /usr/bin/python3 benchmarks/torchvision_fixture.py src/test/resources/torchvision
"""
import json, math, sys
import torch, torchvision

M32 = 0xFFFFFFFF

def hash_uniform(n, salt):
    """x = index + salt * 0x9E3779B1 (mod 2^32), mixed twice by xor-shift-multiply; x / 2^32 mapped to [-1, 1)."""
    x = (torch.arange(n, dtype=torch.int64) + salt * 0x9E3779B1) & M32
    x = (((x >> 16) ^ x) * 0x45D9F3B) & M32
    x = (((x >> 16) ^ x) * 0x45D9F3B) & M32
    x = (x >> 16) ^ x
    return x.double() / 4294967296.0 * 2 - 1

def fill(name, t, salt, gain=1.0, pattern="sin"):
    n = t.numel()
    i = torch.arange(n, dtype=torch.float64)
    # a name-independent pattern in [-1, 1], scaled to keep activations O(1)
    v = torch.sin(i * 0.7071 + salt * 1.3) if pattern == "sin" else hash_uniform(n, salt)
    if name.endswith("running_var"):
        return (1.0 + 0.5 * v.abs()).reshape(t.shape)
    if name.endswith("running_mean") or name.endswith(".bias"):
        return (0.1 * v).reshape(t.shape)
    if name.endswith("num_batches_tracked"):
        return torch.zeros(t.shape)
    if t.dim() == 1:   # BN weight
        return (1.0 + 0.2 * v).reshape(t.shape)
    fan_in = n // t.shape[0]
    return (v * math.sqrt(3.0 * gain / fan_in)).reshape(t.shape)

def main(out):
    result = {}
    for arch, size, gain, pattern in (("resnet18", 64, 1.0, "sin"), ("resnet50", 64, 1.0, "sin"), ("vgg16", 64, 2.0, "hash")):
        model = getattr(torchvision.models, arch)(num_classes=10).double().eval()
        state = model.state_dict()
        with open(f"{out}/{arch}_keys.txt", "w") as f:
            for k, v in state.items():
                f.write(f"{k} {list(v.shape)}\n")
        new = {}
        for salt, (k, v) in enumerate(state.items()):
            new[k] = fill(k, v, salt, gain, pattern).to(v.dtype)
        model.load_state_dict(new)
        n = 2 * 3 * size * size
        x = torch.sin(torch.arange(n, dtype=torch.float64) * 0.013).reshape(2, 3, size, size)
        with torch.no_grad():
            y = model(x)
        params = sum(p.numel() for p in getattr(torchvision.models, arch)().parameters())
        result[arch] = {"input_size": size, "logits": y.tolist(), "params_1000_classes": params}
        if pattern != "sin":
            result[arch]["fill"] = pattern
            result[arch]["weight_gain"] = gain
    with open(f"{out}/forward.json", "w") as f:
        json.dump(result, f, indent=1)

if __name__ == "__main__":
    main(sys.argv[1])
