#include "device_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "driver_types.h"

namespace reaper_emu {

namespace {
constexpr unsigned char kCanary = 0xA5;
constexpr std::size_t kAlign = 16;    // a GPU aligns to 256; 16 (float4) keeps the end of most buffers against the guard page
std::size_t page() { static const std::size_t p = (std::size_t)sysconf(_SC_PAGESIZE); return p; }
std::size_t round_up(std::size_t v, std::size_t a) { return (v + a - 1) / a * a; }
}  // namespace

std::size_t parse_size(const char* text) {
    if (!text || !*text) return 0;
    char* end = nullptr;
    double v = std::strtod(text, &end);
    if (end == text || v <= 0) return 0;
    std::size_t mult = 1;
    switch (*end) {
        case 'k': case 'K': mult = 1ull << 10; end++; break;
        case 'm': case 'M': mult = 1ull << 20; end++; break;
        case 'g': case 'G': mult = 1ull << 30; end++; break;
        case 't': case 'T': mult = 1ull << 40; end++; break;
        default: break;
    }
    if (*end == 'i' || *end == 'I') end++;
    if (*end == 'b' || *end == 'B') end++;
    if (*end != 0) return 0;
    return (std::size_t)(v * (double)mult);
}

DeviceMemory& DeviceMemory::get() { static DeviceMemory* d = new DeviceMemory(); return *d; }   // outlives exit handlers

DeviceMemory::DeviceMemory() {
    std::size_t fromEnv = parse_size(std::getenv("REAPER_EMU_MEMORY"));
    limit_ = fromEnv ? fromEnv : (8ull << 30);
}

int DeviceMemory::allocate(std::size_t bytes, unsigned long long* out, std::string& detail) {
    std::lock_guard<std::mutex> g(m_);
    std::size_t userBytes = round_up(bytes, kAlign);
    if (inUse_ + userBytes > limit_) {
        char b[256];
        std::snprintf(b, sizeof b, "cuMemAlloc of %.1f MiB exceeds the emulated device memory (%.1f of %.1f MiB in use); "
                      "set REAPER_EMU_MEMORY (e.g. 16G) to emulate a larger device",
                      bytes / 1048576.0, inUse_ / 1048576.0, limit_ / 1048576.0);
        detail = b;
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    std::size_t body = round_up(userBytes, page());
    std::size_t mapBytes = body + 2 * page();
    char* map = static_cast<char*>(mmap(nullptr, mapBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (map == MAP_FAILED) {
        detail = "the host could not map " + std::to_string(mapBytes) + " bytes for an emulated allocation";
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    mprotect(map, page(), PROT_NONE);
    mprotect(map + page() + body, page(), PROT_NONE);
    char* user = map + page() + body - userBytes;          // ends against the upper guard page
    std::memset(map + page(), kCanary, user - (map + page()));
    std::memset(user, 0xFF, userBytes);                     // NaN in every float: uninitialised reads show
    if (userBytes > bytes) std::memset(user + bytes, kCanary, userBytes - bytes);
    live_[(uint64_t)user] = Block{map, mapBytes, user, bytes};
    inUse_ += userBytes;
    if (inUse_ > peak_) peak_ = inUse_;
    counters_.allocations++;
    counters_.peakBytesInUse = peak_;
    *out = (uint64_t)user;
    return CUDA_SUCCESS;
}

int DeviceMemory::free(uint64_t ptr, std::string& detail) {
    std::lock_guard<std::mutex> g(m_);
    auto it = live_.find(ptr);
    if (it == live_.end()) {
        char b[128];
        std::snprintf(b, sizeof b, "cuMemFree of 0x%llx, which is not the start of a live allocation", (unsigned long long)ptr);
        detail = b;
        return CUDA_ERROR_INVALID_VALUE;
    }
    inUse_ -= round_up(it->second.bytes, kAlign);
    munmap(it->second.map, it->second.mapBytes);
    live_.erase(it);
    counters_.frees++;
    return CUDA_SUCCESS;
}

void DeviceMemory::free_all() {
    std::lock_guard<std::mutex> g(m_);
    for (auto& kv : live_) munmap(kv.second.map, kv.second.mapBytes);
    live_.clear();
    inUse_ = 0;
}

bool DeviceMemory::contains(uint64_t ptr, std::size_t bytes) {
    std::lock_guard<std::mutex> g(m_);
    auto it = live_.upper_bound(ptr);
    if (it == live_.begin()) return false;
    --it;
    return ptr >= it->first && ptr + bytes <= it->first + it->second.bytes;
}

std::string DeviceMemory::check_canaries(const std::vector<uint64_t>& pointers) {
    std::lock_guard<std::mutex> g(m_);
    for (uint64_t ptr : pointers) {
        auto it = live_.upper_bound(ptr);
        if (it == live_.begin()) continue;
        --it;
        const Block& b = it->second;
        if (ptr >= (uint64_t)b.user + b.bytes + kAlign) continue;   // not this allocation's pointer
        char* lo = b.map + page();
        for (char* p = lo; p < b.user; p++)
            if ((unsigned char)*p != kCanary) {
                char msg[200];
                std::snprintf(msg, sizeof msg, "a kernel wrote %lld bytes below the start of an allocation of %zu bytes",
                              (long long)(b.user - p), b.bytes);
                return msg;
            }
        std::size_t userBytes = round_up(b.bytes, kAlign);
        for (std::size_t i = b.bytes; i < userBytes; i++)
            if ((unsigned char)b.user[i] != kCanary) {
                char msg[200];
                std::snprintf(msg, sizeof msg, "a kernel wrote %zu bytes past the end of an allocation of %zu bytes", i - b.bytes + 1, b.bytes);
                return msg;
            }
    }
    return "";
}

void DeviceMemory::count_copy(int kind, std::size_t bytes) {
    std::lock_guard<std::mutex> g(m_);
    if (kind == 0) { counters_.bytesHtoD += bytes; if (bytes > counters_.largestHtoD) counters_.largestHtoD = bytes; }
    else if (kind == 1) { counters_.bytesDtoH += bytes; if (bytes > counters_.largestDtoH) counters_.largestDtoH = bytes; }
    else counters_.bytesDtoD += bytes;
}

}  // namespace reaper_emu
