// Philox-4x32-10 streams identical to org.reaper.rng.Philox: element i of a uniform draw is word
// i % 4 of block offset + i / 4; normals take a Box-Muller pair from words 0, 1 of block
// offset + i / 2. The arithmetic mirrors the Java code step by step (double log / sqrt / sin /
// cos rounded to float where Java rounds) so both backends produce the same floats.

#include "philox.cuh"

// One thread per Philox block (four elements). t[i] = lo + (hi - lo) * u_i.
extern "C" __global__ void rng_uniform(float* t, int n, float lo, float hi, unsigned long long seed,
                                       unsigned long long offset) {
    GRID_STRIDE(b, (n + 3) / 4) {
        uint4 w = philox_block(seed, offset + (unsigned long long)b);
        for (int k = 0; k < 4; k++) {
            long long i = b * 4 + k;
            if (i < n) t[i] = lo + (hi - lo) * philox_uniform(word_of(w, k));
        }
    }
}

// One thread per pair of elements. t[i] = mean + std * z_i.
extern "C" __global__ void rng_normal(float* t, int n, float mean, float std, unsigned long long seed,
                                      unsigned long long offset) {
    GRID_STRIDE(pair, (n + 1) / 2) {
        uint4 w = philox_block(seed, offset + (unsigned long long)pair);
        float u1 = (float)((w.x >> 8) + 1u) * INV_2_24;
        float u2 = philox_uniform(w.y);
        float lg = (float)log((double)u1);
        float r = (float)sqrt((double)(-2.0f * lg));
        double theta = 2.0 * 3.141592653589793 * (double)u2;
        long long i = pair * 2;
        t[i] = mean + std * (r * (float)cos(theta));
        if (i + 1 < n) t[i + 1] = mean + std * (r * (float)sin(theta));
    }
}

// Inverted dropout: mask = u >= p ? 1 / (1 - p) : 0, y = x * mask.
extern "C" __global__ void rng_dropout(const float* x, int n, float p, unsigned long long seed,
                                       unsigned long long offset, float* mask, float* y) {
    float keep = 1.0f / (1.0f - p);
    GRID_STRIDE(b, (n + 3) / 4) {
        uint4 w = philox_block(seed, offset + (unsigned long long)b);
        for (int k = 0; k < 4; k++) {
            long long i = b * 4 + k;
            if (i < n) {
                float m = philox_uniform(word_of(w, k)) >= p ? keep : 0.f;
                mask[i] = m;
                y[i] = x[i] * m;
            }
        }
    }
}
