// Device memory of the stand-in: host memory that fails loudly. Every allocation sits between
// PROT_NONE guard pages (its end against the upper guard, so reading or writing past it faults at
// once), the slack below it is filled with a canary checked after every launch, new memory is
// filled with NaN bytes (a kernel reading what nobody wrote sees NaN), and the total is limited to a
// configurable device size so out-of-memory paths can be tested.
#pragma once
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <map>
#include <string>
#include <vector>

namespace reaper_emu {

struct Counters {
    uint64_t launches = 0, bytesHtoD = 0, bytesDtoH = 0, bytesDtoD = 0, allocations = 0, frees = 0;
    uint64_t bytesInUse = 0, peakBytesInUse = 0;
    uint64_t largestHtoD = 0, largestDtoH = 0;   // the largest single copy each way
};

class DeviceMemory {
public:
    static DeviceMemory& get();

    /** 0 on success; CUDA_ERROR_OUT_OF_MEMORY (detail set) past the limit. */
    int allocate(std::size_t bytes, unsigned long long* out, std::string& detail);
    /** CUDA_ERROR_INVALID_VALUE when ptr is not the start of a live allocation. */
    int free(uint64_t ptr, std::string& detail);
    void free_all();
    /** Whether [ptr, ptr + bytes) lies inside one live allocation. */
    bool contains(uint64_t ptr, std::size_t bytes);
    /**
     * Whether a launch wrote outside the allocations it was given (the ones holding `pointers`):
     * empty when not, else "a kernel wrote N bytes below the start of an allocation of M bytes".
     */
    std::string check_canaries(const std::vector<uint64_t>& pointers);

    void set_limit(std::size_t bytes) { std::lock_guard<std::mutex> g(m_); limit_ = bytes; }
    std::size_t limit() { std::lock_guard<std::mutex> g(m_); return limit_; }
    std::size_t in_use() { std::lock_guard<std::mutex> g(m_); return inUse_; }

    Counters counters() { std::lock_guard<std::mutex> g(m_); Counters c = counters_; c.bytesInUse = inUse_; return c; }
    void reset_counters() { std::lock_guard<std::mutex> g(m_); counters_ = Counters(); peak_ = inUse_; counters_.peakBytesInUse = inUse_; }
    void count_launch() { std::lock_guard<std::mutex> g(m_); counters_.launches++; }
    void count_copy(int kind, std::size_t bytes);   // 0 HtoD, 1 DtoH, 2 DtoD

private:
    struct Block { char* map; std::size_t mapBytes; char* user; std::size_t bytes; };
    DeviceMemory();
    std::mutex m_;
    std::map<uint64_t, Block> live_;
    std::size_t limit_, inUse_ = 0, peak_ = 0;
    Counters counters_;
};

/** "8G", "512M", "1048576": bytes, or 0 when the text is not a size. */
std::size_t parse_size(const char* text);

}  // namespace reaper_emu
