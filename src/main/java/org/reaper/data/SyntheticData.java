package org.reaper.data;

import org.reaper.rng.Philox;
import org.reaper.rng.RandomStream;

/**
 * Random 3x32x32 images for tests and benchmarks. Each class has its own random prototype image and
 * every image is half prototype, half noise, so the labels are learnable (a model can beat chance).
 */
public final class SyntheticData {
    private SyntheticData() {}

    public static ImageDataset random(int n, int numClasses, long seed) {
        if (n < 0 || numClasses <= 0) throw new IllegalArgumentException("need n >= 0 and numClasses > 0");
        int bytes = Cifar.IMAGE_BYTES;
        RandomStream root = new RandomStream(seed);
        long protoSeed = root.fork(1).seed(), noiseSeed = root.fork(2).seed();
        RandomStream labelStream = root.fork(3);
        byte[][] prototypes = new byte[numClasses][bytes];
        int[] w = new int[4];
        for (int c = 0; c < numClasses; c++) fillRandom(protoSeed, (long) c * bytes, prototypes[c], 0, bytes, w);
        int[] labels = new int[n];
        byte[] pixels = new byte[Math.multiplyExact(n, bytes)];
        byte[] noise = new byte[bytes];
        for (int i = 0; i < n; i++) {
            labels[i] = labelStream.nextInt(numClasses);
            fillRandom(noiseSeed, (long) i * bytes, noise, 0, bytes, w);
            byte[] proto = prototypes[labels[i]];
            for (int p = 0; p < bytes; p++)
                pixels[i * bytes + p] = (byte) (((proto[p] & 0xFF) + (noise[p] & 0xFF)) >>> 1);
        }
        String description = "synthetic, " + ImageDataset.count(n) + " random images (" + numClasses + " classes, seed " + seed + ")";
        return ImageDataset.fromBytes(pixels, labels, 3, 32, 32, numClasses, description);
    }

    /** Bytes from the Philox stream: 16 bytes per block, block number = byteOffset/16. */
    private static void fillRandom(long seed, long byteOffset, byte[] dst, int from, int len, int[] w) {
        for (int k = 0; k < len; k += 16) {
            Philox.block(seed, (byteOffset + k) / 16, w);
            for (int j = 0; j < 16 && k + j < len; j++) dst[from + k + j] = (byte) (w[j >> 2] >>> ((j & 3) * 8));
        }
    }
}
