// Philox-4x32-10 on the device, identical to org.reaper.rng.Philox (used by rng.cu and by the RePr
// re-initialisation in repr.cu): element i of a uniform draw is word i % 4 of block offset + i / 4;
// a normal draw takes a Box-Muller pair from words 0, 1 of block offset + i / 2, with the Java code's
// double log / sqrt / sin / cos rounded to float where Java rounds.
#pragma once
#include "common.cuh"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u
#define INV_2_24 (1.0f / 16777216.0f)

__device__ __forceinline__ uint4 philox_block(unsigned long long seed, unsigned long long counter) {
    uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
#pragma unroll
    for (int r = 0; r < 10; r++) {
        uint32_t hi0 = __umulhi(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
        uint32_t hi1 = __umulhi(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += PHILOX_W0; k1 += PHILOX_W1;
    }
    return make_uint4(c0, c1, c2, c3);
}

__device__ __forceinline__ float philox_uniform(uint32_t word) { return (float)(word >> 8) * INV_2_24; }

__device__ __forceinline__ uint32_t word_of(uint4 w, int k) { return k == 0 ? w.x : k == 1 ? w.y : k == 2 ? w.z : w.w; }

// Element i of a standard-normal draw at (seed, offset), as Philox.normal(seed, offset, i).
__device__ __forceinline__ float philox_normal(unsigned long long seed, unsigned long long offset, long long i) {
    uint4 w = philox_block(seed, offset + (unsigned long long)(i / 2));
    float u1 = (float)((w.x >> 8) + 1u) * INV_2_24;
    float u2 = philox_uniform(w.y);
    float lg = (float)log((double)u1);
    float r = (float)sqrt((double)(-2.0f * lg));
    double theta = 2.0 * 3.141592653589793 * (double)u2;
    return (i & 1) ? r * (float)sin(theta) : r * (float)cos(theta);
}
