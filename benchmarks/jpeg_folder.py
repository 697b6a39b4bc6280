"""Writes an ImageNet-sized JPEG image folder for the loader benchmark (run with Debian's python3-pil and numpy):
train/<class>/*.jpg and val/<class>/*.jpg, 500x375 or 375x500 (ImageNet's most common sizes), baseline JPEG
quality 90, with smooth structure plus fine texture so that files weigh about what ImageNet's do (~110 KB)
and decode as slowly. Deterministic for a seed. No download involved.

    /usr/bin/python3 benchmarks/jpeg_folder.py OUT [classes=10] [train_per_class=100] [val_per_class=10] [seed=0]
"""
import os, sys
import numpy as np
from PIL import Image


def image(rng, w, h):
    # low-frequency colour field (a few blobs, bilinearly enlarged) + mid-frequency stripes + pixel noise
    coarse = rng.uniform(0, 255, size=(6, 8, 3)).astype(np.uint8)
    base = np.asarray(Image.fromarray(coarse).resize((w, h), Image.BILINEAR), dtype=np.float32)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    fx, fy, phase = rng.uniform(0.02, 0.2), rng.uniform(0.02, 0.2), rng.uniform(0, 6.3)
    stripes = 30 * np.sin(x * fx + y * fy + phase)[..., None]
    noise = rng.normal(0, 18, size=(h, w, 3))
    return Image.fromarray(np.clip(base + stripes + noise, 0, 255).astype(np.uint8))


def main(out, classes=10, train_per_class=100, val_per_class=10, seed=0):
    rng = np.random.default_rng(seed)
    total = 0
    for split, n in (("train", train_per_class), ("val", val_per_class)):
        for c in range(classes):
            d = os.path.join(out, split, f"n{c:08d}")
            os.makedirs(d, exist_ok=True)
            for i in range(n):
                w, h = (500, 375) if rng.uniform() < 0.75 else (375, 500)
                p = os.path.join(d, f"{split}_{c}_{i}.JPEG")
                image(rng, w, h).save(p, quality=90)
                total += os.path.getsize(p)
    count = classes * (train_per_class + val_per_class)
    print(f"{count} JPEGs in {out}, mean {total / count / 1024:.0f} KB")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], *(int(v) for v in a[1:]))
