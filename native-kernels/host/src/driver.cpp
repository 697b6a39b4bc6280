// The subset of the CUDA driver API that Reaper calls through JCuda, on the CPU. Every other
// symbol JCuda's libJCudaDriver binds is a generated weak stub returning CUDA_ERROR_NOT_SUPPORTED
// (driver_stubs.cpp). The device reports an H200's figures (132 SMs, sm_90), so launch shapes
// computed from them are the GPU's. Launches run synchronously; a kernel fault is sticky for the
// context, as on a GPU, and the reason is kept for reaperEmuLastError.
#include <sys/time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device_memory.h"
#include "driver_types.h"
#include "emu_engine.h"
#include "emu_state.h"
#include "module_image.h"

using namespace reaper_emu;

struct EmuContext { int device; int refs; };
struct EmuModule { ModuleImage image; std::vector<std::unique_ptr<EmuFunction>> functions; };
struct EmuFunction { const KernelEntry* kernel; std::size_t staticShared; int maxDynamicShared; };
struct EmuStream { int flags; };
struct EmuEvent { double ms; bool recorded; };

namespace reaper_emu {

thread_local std::string t_last_error;
static bool g_initialized = false;
static EmuContext g_primary{0, 0};
static thread_local CUcontext t_current = nullptr;
static CUresult g_sticky = CUDA_SUCCESS;
static std::string g_sticky_detail;
static std::mutex g_state;

std::map<std::string, KernelEntry>& registry() { static std::map<std::string, KernelEntry> r; return r; }
void register_kernel(const KernelEntry& entry) { registry()[entry.name] = entry; }
const KernelEntry* find_kernel(const std::string& name) {
    auto it = registry().find(name);
    return it == registry().end() ? nullptr : &it->second;
}

CUresult fail(CUresult code, const std::string& detail) {
    t_last_error = detail;
    return code;
}

void clear_context_state() {
    g_sticky = CUDA_SUCCESS;
    g_sticky_detail.clear();
    DeviceMemory::get().free_all();
}

}  // namespace reaper_emu

namespace {
constexpr int kSMs = 132;
constexpr int kMaxSharedPerBlock = 48 * 1024;
constexpr int kMaxSharedOptin = 227 * 1024;
const char* kDeviceName = "NVIDIA H200 (Reaper CPU emulation)";

#define REQUIRE_INIT() do { if (!g_initialized) return fail(CUDA_ERROR_NOT_INITIALIZED, "cuInit has not been called"); } while (0)
#define REQUIRE_CONTEXT() do { REQUIRE_INIT(); \
    if (t_current == nullptr || g_primary.refs == 0) return fail(CUDA_ERROR_INVALID_CONTEXT, "no current CUDA context on this thread (cuCtxSetCurrent first)"); \
    if (g_sticky != CUDA_SUCCESS) return fail(g_sticky, "an earlier kernel failed and the context is unusable: " + g_sticky_detail); } while (0)

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

extern "C" {

CUresult cuInit(unsigned int flags) {
    if (flags != 0) return fail(CUDA_ERROR_INVALID_VALUE, "cuInit flags must be 0");
    std::lock_guard<std::mutex> g(g_state);
    if (!g_initialized) {
        g_initialized = true;
        if (const char* s = std::getenv("REAPER_EMU_SCHEDULE")) set_schedule_seed(std::strtoull(s, nullptr, 0));
        if (const char* t = std::getenv("REAPER_EMU_THREADS")) set_host_threads(std::atoi(t));
    }
    return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* v) {
    if (!v) return fail(CUDA_ERROR_INVALID_VALUE, "null pointer");
    *v = 12060;   // the API level JCuda 12.6 was built against
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* n) {
    REQUIRE_INIT();
    if (!n) return fail(CUDA_ERROR_INVALID_VALUE, "null pointer");
    *n = 1;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* d, int ordinal) {
    REQUIRE_INIT();
    if (!d) return fail(CUDA_ERROR_INVALID_VALUE, "null pointer");
    if (ordinal != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    *d = 0;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, CUdevice d) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    if (!name || len <= 0) return fail(CUDA_ERROR_INVALID_VALUE, "null name buffer");
    std::snprintf(name, (std::size_t)len, "%s", kDeviceName);
    return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem_v2(std::size_t* bytes, CUdevice d) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    *bytes = DeviceMemory::get().limit();
    return CUDA_SUCCESS;
}

CUresult cuDeviceComputeCapability(int* major, int* minor, CUdevice d) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    *major = 9;
    *minor = 0;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* v, int attr, CUdevice d) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    if (!v) return fail(CUDA_ERROR_INVALID_VALUE, "null pointer");
    switch (attr) {   // an H200 SXM's figures
        case ATTR_MAX_THREADS_PER_BLOCK: *v = 1024; break;
        case ATTR_MAX_BLOCK_DIM_X: case ATTR_MAX_BLOCK_DIM_Y: *v = 1024; break;
        case ATTR_MAX_BLOCK_DIM_Z: *v = 64; break;
        case ATTR_MAX_GRID_DIM_X: *v = 2147483647; break;
        case ATTR_MAX_GRID_DIM_Y: case ATTR_MAX_GRID_DIM_Z: *v = 65535; break;
        case ATTR_MAX_SHARED_MEMORY_PER_BLOCK: *v = kMaxSharedPerBlock; break;
        case ATTR_TOTAL_CONSTANT_MEMORY: *v = 65536; break;
        case ATTR_WARP_SIZE: *v = 32; break;
        case ATTR_MAX_REGISTERS_PER_BLOCK: case ATTR_MAX_REGISTERS_PER_MULTIPROCESSOR: *v = 65536; break;
        case ATTR_CLOCK_RATE: *v = 1980000; break;
        case ATTR_MULTIPROCESSOR_COUNT: *v = kSMs; break;
        case ATTR_INTEGRATED: *v = 0; break;
        case ATTR_CONCURRENT_KERNELS: case ATTR_ECC_ENABLED: case ATTR_UNIFIED_ADDRESSING: case ATTR_MANAGED_MEMORY: *v = 1; break;
        case ATTR_MEMORY_CLOCK_RATE: *v = 3201000; break;
        case ATTR_GLOBAL_MEMORY_BUS_WIDTH: *v = 6144; break;
        case ATTR_L2_CACHE_SIZE: *v = 50331648; break;
        case ATTR_MAX_THREADS_PER_MULTIPROCESSOR: *v = 2048; break;
        case ATTR_ASYNC_ENGINE_COUNT: *v = 3; break;
        case ATTR_COMPUTE_CAPABILITY_MAJOR: *v = 9; break;
        case ATTR_COMPUTE_CAPABILITY_MINOR: *v = 0; break;
        case ATTR_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: *v = 228 * 1024; break;
        case ATTR_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: *v = kMaxSharedOptin; break;
        case ATTR_MAX_BLOCKS_PER_MULTIPROCESSOR: *v = 32; break;
        default: return fail(CUDA_ERROR_INVALID_VALUE, "device attribute " + std::to_string(attr) + " is not emulated");
    }
    return CUDA_SUCCESS;
}

// ---- contexts ---------------------------------------------------------------------------------
CUresult cuDevicePrimaryCtxRetain(CUcontext* ctx, CUdevice d) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    std::lock_guard<std::mutex> g(g_state);
    g_primary.refs++;
    *ctx = &g_primary;
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    std::lock_guard<std::mutex> g(g_state);
    if (g_primary.refs == 0) return fail(CUDA_ERROR_INVALID_CONTEXT, "the primary context was not retained");
    if (--g_primary.refs == 0) clear_context_state();   // the context is destroyed with all its memory
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxGetState(CUdevice d, unsigned* flags, int* active) {
    REQUIRE_INIT();
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "the emulator has one device, 0");
    *flags = 0;
    *active = g_primary.refs > 0;
    return CUDA_SUCCESS;
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
    REQUIRE_INIT();
    if (ctx != nullptr && ctx != &g_primary) return fail(CUDA_ERROR_INVALID_CONTEXT, "not a context of the emulator");
    t_current = ctx;
    return CUDA_SUCCESS;
}

CUresult cuCtxGetCurrent(CUcontext* ctx) {
    REQUIRE_INIT();
    *ctx = t_current;
    return CUDA_SUCCESS;
}

CUresult cuCtxGetDevice(CUdevice* d) {
    REQUIRE_CONTEXT();
    *d = 0;
    return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize() {
    REQUIRE_CONTEXT();
    return CUDA_SUCCESS;
}

// ---- memory -----------------------------------------------------------------------------------
CUresult cuMemAlloc_v2(CUdeviceptr* p, std::size_t bytes) {
    REQUIRE_CONTEXT();
    if (!p) return fail(CUDA_ERROR_INVALID_VALUE, "null pointer");
    if (bytes == 0) return fail(CUDA_ERROR_INVALID_VALUE, "cuMemAlloc of 0 bytes");
    std::string detail;
    CUresult r = DeviceMemory::get().allocate(bytes, p, detail);
    return r == CUDA_SUCCESS ? r : fail(r, detail);
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    REQUIRE_CONTEXT();
    if (p == 0) return CUDA_SUCCESS;
    std::string detail;
    CUresult r = DeviceMemory::get().free(p, detail);
    return r == CUDA_SUCCESS ? r : fail(r, detail);
}

CUresult cuMemGetInfo_v2(std::size_t* freeBytes, std::size_t* total) {
    REQUIRE_CONTEXT();
    DeviceMemory& m = DeviceMemory::get();
    *total = m.limit();
    *freeBytes = m.limit() - m.in_use();
    return CUDA_SUCCESS;
}

static CUresult check_range(CUdeviceptr p, std::size_t bytes, const char* what) {
    if (bytes == 0) return CUDA_SUCCESS;
    if (!DeviceMemory::get().contains(p, bytes)) {
        char b[200];
        std::snprintf(b, sizeof b, "%s: [0x%llx, +%zu bytes) is not inside one device allocation", what, (unsigned long long)p, bytes);
        return fail(CUDA_ERROR_INVALID_VALUE, b);
    }
    return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, std::size_t bytes) {
    REQUIRE_CONTEXT();
    if (CUresult r = check_range(dst, bytes, "cuMemcpyHtoD destination")) return r;
    if (bytes) std::memcpy(reinterpret_cast<void*>(dst), src, bytes);
    DeviceMemory::get().count_copy(0, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, std::size_t bytes) {
    REQUIRE_CONTEXT();
    if (CUresult r = check_range(src, bytes, "cuMemcpyDtoH source")) return r;
    if (bytes) std::memcpy(dst, reinterpret_cast<const void*>(src), bytes);
    DeviceMemory::get().count_copy(1, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, std::size_t bytes) {
    REQUIRE_CONTEXT();
    if (CUresult r = check_range(dst, bytes, "cuMemcpyDtoD destination")) return r;
    if (CUresult r = check_range(src, bytes, "cuMemcpyDtoD source")) return r;
    if (bytes) std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
    DeviceMemory::get().count_copy(2, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, std::size_t bytes, CUstream) { return cuMemcpyHtoD_v2(dst, src, bytes); }
CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, std::size_t bytes, CUstream) { return cuMemcpyDtoH_v2(dst, src, bytes); }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, std::size_t bytes, CUstream) { return cuMemcpyDtoD_v2(dst, src, bytes); }

CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char v, std::size_t n) {
    REQUIRE_CONTEXT();
    if (CUresult r = check_range(dst, n, "cuMemsetD8 destination")) return r;
    std::memset(reinterpret_cast<void*>(dst), v, n);
    return CUDA_SUCCESS;
}

CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int v, std::size_t n) {
    REQUIRE_CONTEXT();
    if (dst % 4 != 0) return fail(CUDA_ERROR_INVALID_VALUE, "cuMemsetD32 destination not 4-byte aligned");
    if (CUresult r = check_range(dst, n * 4, "cuMemsetD32 destination")) return r;
    unsigned int* p = reinterpret_cast<unsigned int*>(dst);
    for (std::size_t i = 0; i < n; i++) p[i] = v;
    return CUDA_SUCCESS;
}

CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char v, std::size_t n, CUstream) { return cuMemsetD8_v2(dst, v, n); }
CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int v, std::size_t n, CUstream) { return cuMemsetD32_v2(dst, v, n); }

// ---- modules and functions --------------------------------------------------------------------
CUresult cuModuleLoadData(CUmodule* module, const void* image) {
    REQUIRE_CONTEXT();
    if (!module) return fail(CUDA_ERROR_INVALID_VALUE, "null module pointer");
    ModuleImage parsed = parse_module_image(image);
    if (!parsed.valid) return fail(CUDA_ERROR_INVALID_IMAGE, parsed.error);
    auto* m = new EmuModule();
    m->image = std::move(parsed);
    *module = m;
    return CUDA_SUCCESS;
}

CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int, void*, void**) { return cuModuleLoadData(module, image); }

CUresult cuModuleUnload(CUmodule module) {
    REQUIRE_INIT();
    if (!module) return fail(CUDA_ERROR_INVALID_HANDLE, "null module");
    delete module;
    return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(CUfunction* fn, CUmodule module, const char* name) {
    REQUIRE_CONTEXT();
    if (!fn || !module || !name) return fail(CUDA_ERROR_INVALID_VALUE, "null argument");
    std::string n(name);
    bool inImage = module->image.containsName(n);
    const KernelEntry* k = find_kernel(n);
    if (!inImage)
        return fail(CUDA_ERROR_NOT_FOUND, "kernel " + n + " is not in this module");
    if (!k)
        return fail(CUDA_ERROR_NOT_FOUND, "kernel " + n + " is in the module but not in the CPU stand-in; rebuild the stand-in "
                    "(mvn package with g++ on the PATH) from the same native-kernels sources");
    auto it = module->image.staticShared.find(n);
    std::size_t shared = it == module->image.staticShared.end() ? 0 : it->second;
    module->functions.push_back(std::unique_ptr<EmuFunction>(new EmuFunction{k, shared, (int)(shared < (std::size_t)kMaxSharedPerBlock ? kMaxSharedPerBlock - shared : 0)}));
    *fn = module->functions.back().get();
    return CUDA_SUCCESS;
}

CUresult cuFuncGetAttribute(int* v, int attr, CUfunction fn) {
    REQUIRE_INIT();
    if (!fn) return fail(CUDA_ERROR_INVALID_HANDLE, "null function");
    switch (attr) {
        case FUNC_MAX_THREADS_PER_BLOCK: *v = 1024; break;
        case FUNC_SHARED_SIZE_BYTES: *v = (int)fn->staticShared; break;
        case FUNC_CONST_SIZE_BYTES: case FUNC_LOCAL_SIZE_BYTES: *v = 0; break;
        case FUNC_NUM_REGS: *v = 32; break;
        case FUNC_PTX_VERSION: case FUNC_BINARY_VERSION: *v = 90; break;
        case FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES: *v = fn->maxDynamicShared; break;
        default: return fail(CUDA_ERROR_INVALID_VALUE, "function attribute " + std::to_string(attr) + " is not emulated");
    }
    return CUDA_SUCCESS;
}

CUresult cuFuncSetAttribute(CUfunction fn, int attr, int v) {
    REQUIRE_INIT();
    if (!fn) return fail(CUDA_ERROR_INVALID_HANDLE, "null function");
    if (attr != FUNC_MAX_DYNAMIC_SHARED_SIZE_BYTES) return fail(CUDA_ERROR_NOT_SUPPORTED, "function attribute " + std::to_string(attr) + " cannot be set on the emulator");
    if (v < 0 || v + (int)fn->staticShared > kMaxSharedOptin) return fail(CUDA_ERROR_INVALID_VALUE, "dynamic shared memory above the device's opt-in limit");
    fn->maxDynamicShared = v;
    return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedMem, CUstream, void** params, void** extra) {
    REQUIRE_CONTEXT();
    if (!fn) return fail(CUDA_ERROR_INVALID_HANDLE, "cuLaunchKernel of a null function");
    const KernelEntry& k = *fn->kernel;
    char b[300];
    if (bx == 0 || by == 0 || bz == 0 || gx == 0 || gy == 0 || gz == 0) {
        std::snprintf(b, sizeof b, "launch of %s with an empty grid (%u,%u,%u) or block (%u,%u,%u)", k.name, gx, gy, gz, bx, by, bz);
        return fail(CUDA_ERROR_INVALID_VALUE, b);
    }
    if (bx > 1024 || by > 1024 || bz > 64 || (unsigned long long)bx * by * bz > 1024) {
        std::snprintf(b, sizeof b, "launch of %s with block (%u,%u,%u): at most 1024 threads per block (x, y <= 1024, z <= 64)", k.name, bx, by, bz);
        return fail(CUDA_ERROR_INVALID_VALUE, b);
    }
    if (gx > 2147483647u || gy > 65535 || gz > 65535) {
        std::snprintf(b, sizeof b, "launch of %s with grid (%u,%u,%u): y and z are limited to 65535", k.name, gx, gy, gz);
        return fail(CUDA_ERROR_INVALID_VALUE, b);
    }
    if (fn->staticShared > (std::size_t)kMaxSharedPerBlock || sharedMem > (unsigned)fn->maxDynamicShared) {
        std::snprintf(b, sizeof b, "launch of %s needs %zu bytes of shared memory (%zu static + %u dynamic): over the 48 KiB per block limit",
                      k.name, fn->staticShared + sharedMem, fn->staticShared, sharedMem);
        return fail(CUDA_ERROR_INVALID_VALUE, b);
    }
    if (sharedMem > 0) return fail(CUDA_ERROR_NOT_SUPPORTED, std::string("dynamic shared memory is not emulated (launch of ") + k.name + ")");
    if (extra) return fail(CUDA_ERROR_NOT_SUPPORTED, "cuLaunchKernel's 'extra' argument is not emulated; pass kernelParams");
    if (k.paramCount > 0 && !params) return fail(CUDA_ERROR_INVALID_VALUE, std::string("launch of ") + k.name + " without kernelParams");

    ThreadBody body = k.bind(k.fn, params);
    DeviceMemory::get().count_launch();
    LaunchResult r = run_launch(k, body, LaunchShape{gx, gy, gz, bx, by, bz});
    if (r.deviceOnly) return fail(CUDA_ERROR_NOT_SUPPORTED, r.error + "; use a real GPU, or another provider (-Dreaper.cuda.gemm=own)");
    std::vector<uint64_t> pointers;   // a kernel writes through its pointer parameters: check those allocations
    for (int i = 0, at = 0; i < k.paramCount; i++) {
        if (k.signature[at] == 'p') { uint64_t v; std::memcpy(&v, params[i], sizeof v); pointers.push_back(v); }
        std::size_t comma = k.signature.find(',', at);
        at = comma == std::string::npos ? (int)k.signature.size() : (int)comma + 1;
    }
    std::string overwrite = r.ok ? DeviceMemory::get().check_canaries(pointers) : "";
    if (!r.ok || !overwrite.empty()) {
        std::lock_guard<std::mutex> g(g_state);
        g_sticky = r.ok ? CUDA_ERROR_ILLEGAL_ADDRESS : CUDA_ERROR_LAUNCH_FAILED;
        g_sticky_detail = r.ok ? std::string(k.name) + ": " + overwrite : r.error;
        return fail(g_sticky, g_sticky_detail);
    }
    return CUDA_SUCCESS;
}

// ---- streams and events -----------------------------------------------------------------------
CUresult cuStreamCreate(CUstream* s, unsigned flags) {
    REQUIRE_CONTEXT();
    *s = new EmuStream{(int)flags};
    return CUDA_SUCCESS;
}
CUresult cuStreamCreateWithPriority(CUstream* s, unsigned flags, int) { return cuStreamCreate(s, flags); }
CUresult cuStreamDestroy_v2(CUstream s) {
    REQUIRE_INIT();
    delete s;
    return CUDA_SUCCESS;
}
CUresult cuStreamSynchronize(CUstream) { REQUIRE_CONTEXT(); return CUDA_SUCCESS; }
CUresult cuStreamQuery(CUstream) { REQUIRE_CONTEXT(); return CUDA_SUCCESS; }
CUresult cuStreamWaitEvent(CUstream, CUevent, unsigned) { REQUIRE_CONTEXT(); return CUDA_SUCCESS; }

CUresult cuEventCreate(CUevent* e, unsigned) {
    REQUIRE_CONTEXT();
    *e = new EmuEvent{0, false};
    return CUDA_SUCCESS;
}
CUresult cuEventDestroy_v2(CUevent e) { REQUIRE_INIT(); delete e; return CUDA_SUCCESS; }
CUresult cuEventRecord(CUevent e, CUstream) {
    REQUIRE_CONTEXT();
    if (!e) return fail(CUDA_ERROR_INVALID_HANDLE, "null event");
    e->ms = now_ms();
    e->recorded = true;
    return CUDA_SUCCESS;
}
CUresult cuEventRecordWithFlags(CUevent e, CUstream s, unsigned) { return cuEventRecord(e, s); }
CUresult cuEventSynchronize(CUevent e) { REQUIRE_CONTEXT(); return e ? CUDA_SUCCESS : fail(CUDA_ERROR_INVALID_HANDLE, "null event"); }
CUresult cuEventQuery(CUevent e) { REQUIRE_CONTEXT(); return e ? CUDA_SUCCESS : fail(CUDA_ERROR_INVALID_HANDLE, "null event"); }
CUresult cuEventElapsedTime(float* ms, CUevent start, CUevent end) {
    REQUIRE_CONTEXT();
    if (!start || !end) return fail(CUDA_ERROR_INVALID_HANDLE, "null event");
    if (!start->recorded || !end->recorded) return fail(CUDA_ERROR_INVALID_HANDLE, "event not recorded");
    *ms = (float)(end->ms - start->ms);
    return CUDA_SUCCESS;
}

// ---- profiler and errors ----------------------------------------------------------------------
CUresult cuProfilerStart() { REQUIRE_CONTEXT(); return CUDA_SUCCESS; }
CUresult cuProfilerStop() { REQUIRE_CONTEXT(); return CUDA_SUCCESS; }

CUresult cuGetErrorName(CUresult e, const char** s) {
    switch (e) {
        case CUDA_SUCCESS: *s = "CUDA_SUCCESS"; break;
        case CUDA_ERROR_INVALID_VALUE: *s = "CUDA_ERROR_INVALID_VALUE"; break;
        case CUDA_ERROR_OUT_OF_MEMORY: *s = "CUDA_ERROR_OUT_OF_MEMORY"; break;
        case CUDA_ERROR_NOT_INITIALIZED: *s = "CUDA_ERROR_NOT_INITIALIZED"; break;
        case CUDA_ERROR_INVALID_DEVICE: *s = "CUDA_ERROR_INVALID_DEVICE"; break;
        case CUDA_ERROR_INVALID_IMAGE: *s = "CUDA_ERROR_INVALID_IMAGE"; break;
        case CUDA_ERROR_INVALID_CONTEXT: *s = "CUDA_ERROR_INVALID_CONTEXT"; break;
        case CUDA_ERROR_INVALID_HANDLE: *s = "CUDA_ERROR_INVALID_HANDLE"; break;
        case CUDA_ERROR_NOT_FOUND: *s = "CUDA_ERROR_NOT_FOUND"; break;
        case CUDA_ERROR_ILLEGAL_ADDRESS: *s = "CUDA_ERROR_ILLEGAL_ADDRESS"; break;
        case CUDA_ERROR_LAUNCH_FAILED: *s = "CUDA_ERROR_LAUNCH_FAILED"; break;
        case CUDA_ERROR_NOT_SUPPORTED: *s = "CUDA_ERROR_NOT_SUPPORTED"; break;
        default: *s = "CUDA_ERROR_UNKNOWN"; return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

CUresult cuGetErrorString(CUresult e, const char** s) {
    if (e != CUDA_SUCCESS && !t_last_error.empty()) { *s = t_last_error.c_str(); return CUDA_SUCCESS; }
    return cuGetErrorName(e, s);
}

}  // extern "C"

// Every driver symbol the stand-in does not implement lands here (driver_stubs.cpp).
extern "C" int reaper_emu_not_supported(const char* symbol) {
    return fail(CUDA_ERROR_NOT_SUPPORTED, std::string(symbol) + " is not implemented by Reaper's CPU stand-in for the CUDA driver");
}
