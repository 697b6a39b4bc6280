package org.reaper.data;

/**
 * Resizing as PIL's {@code Image.resize(..., BILINEAR, box)} does it (which torchvision uses for PIL images,
 * and matches {@code antialias=True} on tensors): a triangle filter widened by the scale when shrinking, so
 * a downsized image is averaged, not aliased; horizontal pass, then vertical, each rounded to uint8.
 */
public final class Resample {
    private Resample() {}

    public static RawImage resize(RawImage src, CropBox box, int outH, int outW) {
        if (box.height() == outH && box.width() == outW) return crop(src, box);
        Filter fx = Filter.of(box.left(), box.width(), src.width(), outW);
        Filter fy = Filter.of(box.top(), box.height(), src.height(), outH);
        int c = src.channels(), inW = src.width(), inH = src.height();
        byte[] mid = new byte[outW * inH], out = new byte[c * outH * outW];
        byte[] px = src.pixels();
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * inH * inW;
            for (int y = fy.first[0], yEnd = lastRow(fy); y < yEnd; y++)
                for (int x = 0; x < outW; x++) mid[y * outW + x] = fx.apply(px, plane + y * inW, 1, x);
            int o = ch * outH * outW;
            for (int y = 0; y < outH; y++)
                for (int x = 0; x < outW; x++) out[o + y * outW + x] = fy.apply(mid, x, outW, y);
        }
        return new RawImage(c, outH, outW, out);
    }

    public static RawImage crop(RawImage src, CropBox box) {
        int c = src.channels(), h = box.height(), w = box.width();
        if (box.top() < 0 || box.left() < 0 || box.top() + h > src.height() || box.left() + w > src.width())
            throw new IllegalArgumentException(box + " outside a " + src.height() + "x" + src.width() + " image");
        byte[] out = new byte[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(src.pixels(), (ch * src.height() + box.top() + y) * src.width() + box.left(), out, (ch * h + y) * w, w);
        return new RawImage(c, h, w, out);
    }

    public static RawImage mirror(RawImage src) {
        int h = src.height(), w = src.width();
        byte[] in = src.pixels(), out = new byte[in.length];
        for (int r = 0; r < src.channels() * h; r++)
            for (int x = 0; x < w; x++) out[r * w + x] = in[r * w + w - 1 - x];
        return new RawImage(src.channels(), h, w, out);
    }

    private static int lastRow(Filter f) {
        int last = 0;
        for (int i = 0; i < f.first.length; i++) last = Math.max(last, f.first[i] + f.weights[i].length);
        return last;
    }

    /** Per output coordinate: the first input index and the normalised weights (PIL's precompute_coeffs). */
    private static final class Filter {
        final int[] first;
        final double[][] weights;

        private Filter(int[] first, double[][] weights) {
            this.first = first;
            this.weights = weights;
        }

        static Filter of(int start, int length, int inSize, int outSize) {
            double scale = (double) length / outSize, filterScale = Math.max(scale, 1.0), support = filterScale;
            int[] first = new int[outSize];
            double[][] weights = new double[outSize][];
            for (int o = 0; o < outSize; o++) {
                double center = start + (o + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0), hi = Math.min((int) (center + support + 0.5), inSize);
                double[] w = new double[Math.max(hi - lo, 1)];
                double sum = 0;
                for (int k = 0; k < hi - lo; k++) {
                    double t = Math.abs((k + lo - center + 0.5) / filterScale);
                    w[k] = t < 1 ? 1 - t : 0;
                    sum += w[k];
                }
                if (sum > 0) for (int k = 0; k < w.length; k++) w[k] /= sum;
                else w[0] = 1;
                first[o] = lo;
                weights[o] = w;
            }
            return new Filter(first, weights);
        }

        /** Filtered value at output {@code o}, reading {@code data[base + (first+k) * stride]}. */
        byte apply(byte[] data, int base, int stride, int o) {
            double[] w = weights[o];
            double acc = 0;
            for (int k = 0, i = base + first[o] * stride; k < w.length; k++, i += stride) acc += w[k] * (data[i] & 0xFF);
            long v = Math.round(acc);
            return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}
