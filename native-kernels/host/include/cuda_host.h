// The CUDA kernel language on the host: force-included (g++ -include cuda_host.h) before each
// native-kernels/*.cu when the CPU stand-in for the CUDA driver is built, so the very same kernel
// sources run on the CPU. Each CUDA thread is a fiber (see emu_engine.h); the built-in variables,
// barriers, warp operations and atomics below call into that engine. Nothing here is a second copy
// of a kernel: only the language is mapped.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <math.h>

// ---- qualifiers ----------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
#define __restrict__ __restrict
#define __constant__ static
// Shared memory is per block; a block runs wholly on one host thread (its CUDA threads are fibers
// of that host thread), and blocks on one host thread run one after another, so a thread_local per
// declaration is exactly one copy per running block.
#define __shared__ static thread_local

// Kernels that only make sense on a GPU mark their host branch with this: the launch fails with
// CUDA_ERROR_NOT_SUPPORTED instead of silently running an empty body.
#define REAPER_DEVICE_ONLY() ::reaper_emu::device_only(__func__)

// ---- vector types and built-in variables ---------------------------------------------------
struct uint3 { unsigned int x, y, z; };
struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int x_ = 1, unsigned int y_ = 1, unsigned int z_ = 1) : x(x_), y(y_), z(z_) {}
};
struct uint4 { unsigned int x, y, z, w; };
struct int2 { int x, y; };
struct int4 { int x, y, z, w; };
struct float2 { float x, y; };
struct float4 { float x, y, z, w; };
struct double2 { double x, y; };
inline uint4 make_uint4(unsigned int x, unsigned int y, unsigned int z, unsigned int w) { return uint4{x, y, z, w}; }
inline int2 make_int2(int x, int y) { return int2{x, y}; }
inline float2 make_float2(float x, float y) { return float2{x, y}; }
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

namespace reaper_emu {
// Set by the engine before a fiber runs (threadIdx) or a block starts (the others).
extern thread_local uint3 tls_thread_idx;
extern thread_local uint3 tls_block_idx;
extern thread_local dim3 tls_block_dim;
extern thread_local dim3 tls_grid_dim;

void syncthreads();
int syncthreads_count(int predicate);
int syncthreads_and(int predicate);
int syncthreads_or(int predicate);
void syncwarp(unsigned mask);

enum class WarpOp { IDX, UP, DOWN, XOR, BALLOT, ANY, ALL };
// One warp-wide exchange: every lane of the warp must call it with the same op and mask.
uint64_t warp_exchange(WarpOp op, unsigned mask, uint64_t value, int arg, int width);
[[noreturn]] void device_only(const char* kernel);
[[noreturn]] void trap(const char* what);

template <class T> inline uint64_t to_bits(T v) { uint64_t b = 0; static_assert(sizeof(T) <= 8, "shuffle of at most 8 bytes"); std::memcpy(&b, &v, sizeof(T)); return b; }
template <class T> inline T from_bits(uint64_t b) { T v; std::memcpy(&v, &b, sizeof(T)); return v; }
}  // namespace reaper_emu

#define threadIdx (::reaper_emu::tls_thread_idx)
#define blockIdx (::reaper_emu::tls_block_idx)
#define blockDim (::reaper_emu::tls_block_dim)
#define gridDim (::reaper_emu::tls_grid_dim)
#define warpSize 32

// ---- barriers and warp operations ----------------------------------------------------------
inline void __syncthreads() { ::reaper_emu::syncthreads(); }
inline int __syncthreads_count(int p) { return ::reaper_emu::syncthreads_count(p); }
inline int __syncthreads_and(int p) { return ::reaper_emu::syncthreads_and(p); }
inline int __syncthreads_or(int p) { return ::reaper_emu::syncthreads_or(p); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { ::reaper_emu::syncwarp(mask); }
inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
inline void __trap() { ::reaper_emu::trap("__trap()"); }

template <class T> inline T __shfl_sync(unsigned mask, T v, int src, int width = 32) {
    return ::reaper_emu::from_bits<T>(::reaper_emu::warp_exchange(::reaper_emu::WarpOp::IDX, mask, ::reaper_emu::to_bits(v), src, width));
}
template <class T> inline T __shfl_up_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    return ::reaper_emu::from_bits<T>(::reaper_emu::warp_exchange(::reaper_emu::WarpOp::UP, mask, ::reaper_emu::to_bits(v), (int)delta, width));
}
template <class T> inline T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    return ::reaper_emu::from_bits<T>(::reaper_emu::warp_exchange(::reaper_emu::WarpOp::DOWN, mask, ::reaper_emu::to_bits(v), (int)delta, width));
}
template <class T> inline T __shfl_xor_sync(unsigned mask, T v, int laneMask, int width = 32) {
    return ::reaper_emu::from_bits<T>(::reaper_emu::warp_exchange(::reaper_emu::WarpOp::XOR, mask, ::reaper_emu::to_bits(v), laneMask, width));
}
inline unsigned __ballot_sync(unsigned mask, int p) { return (unsigned)::reaper_emu::warp_exchange(::reaper_emu::WarpOp::BALLOT, mask, p != 0, 0, 32); }
inline int __any_sync(unsigned mask, int p) { return (int)::reaper_emu::warp_exchange(::reaper_emu::WarpOp::ANY, mask, p != 0, 0, 32); }
inline int __all_sync(unsigned mask, int p) { return (int)::reaper_emu::warp_exchange(::reaper_emu::WarpOp::ALL, mask, p != 0, 0, 32); }

// ---- atomics (blocks run in parallel on host threads: these must really be atomic) ---------
inline int atomicAdd(int* a, int v) { return __atomic_fetch_add(a, v, __ATOMIC_RELAXED); }
inline unsigned atomicAdd(unsigned* a, unsigned v) { return __atomic_fetch_add(a, v, __ATOMIC_RELAXED); }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) { return __atomic_fetch_add(a, v, __ATOMIC_RELAXED); }
template <class F, class Op> inline F atomic_float_update(F* a, Op op) {
    F old, want;
    __atomic_load(a, &old, __ATOMIC_RELAXED);
    do { want = op(old); } while (!__atomic_compare_exchange(a, &old, &want, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return old;
}
inline float atomicAdd(float* a, float v) { return atomic_float_update(a, [v](float o) { return o + v; }); }
inline double atomicAdd(double* a, double v) { return atomic_float_update(a, [v](double o) { return o + v; }); }
inline int atomicSub(int* a, int v) { return __atomic_fetch_sub(a, v, __ATOMIC_RELAXED); }
inline int atomicExch(int* a, int v) { return __atomic_exchange_n(a, v, __ATOMIC_RELAXED); }
inline float atomicExch(float* a, float v) { float old; __atomic_exchange(a, &v, &old, __ATOMIC_RELAXED); return old; }
inline int atomicMax(int* a, int v) { int o = __atomic_load_n(a, __ATOMIC_RELAXED); while (o < v && !__atomic_compare_exchange_n(a, &o, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {} return o; }
inline int atomicMin(int* a, int v) { int o = __atomic_load_n(a, __ATOMIC_RELAXED); while (o > v && !__atomic_compare_exchange_n(a, &o, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {} return o; }
inline int atomicCAS(int* a, int cmp, int v) { __atomic_compare_exchange_n(a, &cmp, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED); return cmp; }
inline unsigned atomicCAS(unsigned* a, unsigned cmp, unsigned v) { __atomic_compare_exchange_n(a, &cmp, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED); return cmp; }
inline unsigned long long atomicCAS(unsigned long long* a, unsigned long long cmp, unsigned long long v) {
    __atomic_compare_exchange_n(a, &cmp, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED); return cmp;
}

// ---- intrinsics and device math ------------------------------------------------------------
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) { return (unsigned long long)(((unsigned __int128)a * b) >> 64); }
inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned i; std::memcpy(&i, &f, 4); return i; }
inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline long long __double_as_longlong(double d) { long long i; std::memcpy(&i, &d, 8); return i; }
inline double __longlong_as_double(long long i) { double d; std::memcpy(&d, &i, 8); return d; }
inline int __popc(unsigned v) { return __builtin_popcount(v); }
inline int __clz(int v) { return v == 0 ? 32 : __builtin_clz((unsigned)v); }
inline int __ffs(int v) { return __builtin_ffs(v); }
template <class T> inline T __ldg(const T* p) { return *p; }
inline float __fdividef(float a, float b) { return a / b; }
inline float __saturatef(float v) { return v != v ? 0.f : v < 0.f ? 0.f : v > 1.f ? 1.f : v; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
