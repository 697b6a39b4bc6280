"""The PyTorch half of TorchvisionRoundTripTest (run with Debian's python3-torchvision).

    python3 roundtrip.py load REAPER_CHECKPOINT SIZE OUT.json   # a Reaper checkpoint into torchvision.models.resnet18()
    python3 roundtrip.py save OUT.safetensors SIZE OUT.json     # a torchvision resnet18 state_dict to safetensors

Both write the eval-mode logits of the fixed input sin(0.013 i), shape [2, 3, SIZE, SIZE], to OUT.json. "load" drops
the optimizer state and loads strictly (every key must match, no extra key); "save" first runs a few training-mode
passes so that the batch-norm statistics and counters are not their initial values. Files are read and written with
the safetensors package when it is installed; Debian 12 does not package it, so otherwise with the few lines below,
which follow the published format (8-byte little-endian header length, JSON header of dtype/shape/data_offsets,
raw little-endian data) and store tensors exactly as safetensors.torch does (num_batches_tracked 0-d I64).
"""
import json, struct, sys
import torch, torchvision

try:
    from safetensors.torch import load_file, save_file
    WRITER = "safetensors package"
except ImportError:
    WRITER = "built-in safetensors writer (the safetensors package is not installed)"
    import numpy as np
    DTYPES = {"F32": (torch.float32, np.float32), "F64": (torch.float64, np.float64), "I64": (torch.int64, np.int64)}

    def save_file(tensors, path):
        header, blobs, offset = {}, [], 0
        for name, t in tensors.items():
            code = next(k for k, (td, _) in DTYPES.items() if td == t.dtype)
            data = t.detach().contiguous().cpu().numpy().tobytes()
            header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
            blobs.append(data)
            offset += len(data)
        h = json.dumps(header, separators=(",", ":")).encode()
        h += b" " * (-len(h) % 8)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

    def load_file(path):
        with open(path, "rb") as f:
            raw = f.read()
        n = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8:8 + n])
        out = {}
        for name, e in header.items():
            if name == "__metadata__":
                continue
            a, b = e["data_offsets"]
            if e["dtype"] not in DTYPES:
                raise ValueError(f"{name}: dtype {e['dtype']} not handled by the built-in reader")
            arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=DTYPES[e["dtype"]][1]).reshape(e["shape"])
            out[name] = torch.from_numpy(arr.copy())
        return out


def logits(model, size):
    x = torch.sin(torch.arange(2 * 3 * size * size, dtype=torch.float64) * 0.013).float().reshape(2, 3, size, size)
    model.eval()
    with torch.no_grad():
        return model(x).tolist()


def main(mode, path, size, out):
    torch.set_num_threads(2)
    result = {"writer": WRITER, "torch": torch.__version__, "torchvision": torchvision.__version__}
    if mode == "load":
        state = {k: v for k, v in load_file(path).items() if not k.startswith("optim.")}
        model = torchvision.models.resnet18(num_classes=state["fc.bias"].shape[0])
        model.load_state_dict(state, strict=True)
        result["num_batches_tracked"] = int(model.bn1.num_batches_tracked)
        result["num_batches_tracked_shape"] = list(state["bn1.num_batches_tracked"].shape)
        result["num_batches_tracked_dtype"] = str(state["bn1.num_batches_tracked"].dtype)
    elif mode == "save":
        torch.manual_seed(0)
        model = torchvision.models.resnet18(num_classes=10)
        model.train()
        with torch.no_grad():
            for _ in range(3):
                model(torch.rand(4, 3, size, size) * 2 - 1)
        save_file(model.state_dict(), path)
        result["num_batches_tracked"] = int(model.bn1.num_batches_tracked)
    else:
        raise SystemExit(f"unknown mode {mode}")
    result["logits"] = logits(model, size)
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
