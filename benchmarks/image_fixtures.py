"""Writes the decoder/resampling fixtures under src/test/resources/images with PIL (Debian's python3-pil):
an RGB PNG, a progressive and a CMYK JPEG of it, PIL's own decoding of those JPEGs, and PIL's BILINEAR
resizes that Reaper's Resample is checked against.

    /usr/bin/python3 benchmarks/image_fixtures.py src/test/resources/images
"""
import math, sys
from PIL import Image

def main(out):
    w, h = 40, 30
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = (int(255 * x / (w - 1)), int(127 + 120 * math.sin(x * 0.5 + y * 0.3)), int(255 * y / (h - 1)))
    img.save(f"{out}/ref.png")
    img.convert("CMYK").save(f"{out}/cmyk.jpg", quality=95)
    img.save(f"{out}/progressive.jpg", quality=95, progressive=True)
    for name in ("progressive", "cmyk"):
        Image.open(f"{out}/{name}.jpg").convert("RGB").save(f"{out}/pil_{name}.png")
    img.resize((17, 13), Image.BILINEAR, box=(3, 2, 3 + 33, 2 + 25)).save(f"{out}/shrunk_box_3_2_33x25_to_17x13.png")
    img.resize((57, 44), Image.BILINEAR).save(f"{out}/enlarged_to_57x44.png")

if __name__ == "__main__":
    main(sys.argv[1])
