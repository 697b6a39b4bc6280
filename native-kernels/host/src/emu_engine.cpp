// See emu_engine.h. One BlockRunner per host thread owns the fiber stacks and the lanes of the
// block it is running; a launch hands out block indices to the host threads through an atomic
// counter. Shared memory is thread_local (cuda_host.h), so blocks on different host threads never
// see each other's.
#include "emu_engine.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <boost/context/fiber.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cuda_host.h"

namespace ctx = boost::context;

namespace reaper_emu {

thread_local uint3 tls_thread_idx;
thread_local uint3 tls_block_idx;
thread_local dim3 tls_block_dim;
thread_local dim3 tls_grid_dim;

namespace {

/** A fault inside a kernel that the stand-in detected (divergent warp, __trap, ...). */
struct KernelFault { std::string what; };
/** The kernel's host branch is REAPER_DEVICE_ONLY(). */
struct DeviceOnly { std::string kernel; };

std::atomic<uint64_t> g_seed{0};
std::atomic<int> g_host_threads{0};
std::atomic<uint64_t> g_launch_counter{0};

uint64_t splitmix(uint64_t& s) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

constexpr std::size_t kStackBytes = 64 * 1024;

/** Fixed-size fiber stacks with a PROT_NONE guard page below each, reused across blocks. */
class StackPool {
public:
    ~StackPool() { for (void* m : maps_) munmap(m, kStackBytes + page()); }
    ctx::stack_context take() {
        void* base;
        if (!free_.empty()) { base = free_.back(); free_.pop_back(); }
        else {
            base = mmap(nullptr, kStackBytes + page(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (base == MAP_FAILED) throw std::bad_alloc();
            mprotect(base, page(), PROT_NONE);   // a stack overflow faults instead of corrupting a neighbour
            maps_.push_back(base);
        }
        ctx::stack_context sc;
        sc.size = kStackBytes;
        sc.sp = static_cast<char*>(base) + page() + kStackBytes;
        return sc;
    }
    void give(ctx::stack_context& sc) { free_.push_back(static_cast<char*>(sc.sp) - kStackBytes - page()); }
private:
    static std::size_t page() { static const std::size_t p = (std::size_t)sysconf(_SC_PAGESIZE); return p; }
    std::vector<void*> free_, maps_;
};

struct PooledStack {
    StackPool* pool;
    ctx::stack_context allocate() { return pool->take(); }
    void deallocate(ctx::stack_context& sc) noexcept { pool->give(sc); }
};

enum class LaneState { NEW, READY, BLOCK_WAIT, WARP_WAIT, DONE };
enum class BlockOp { SYNC, COUNT, AND, OR };

struct Lane {
    ctx::fiber fiber;
    ctx::fiber caller;
    uint3 idx{};
    int linear = 0;
    LaneState state = LaneState::NEW;
    // block barrier
    BlockOp blockOp = BlockOp::SYNC;
    int predicate = 0;
    int blockResult = 0;
    // warp operation
    WarpOp warpOp = WarpOp::IDX;
    unsigned warpMask = 0;
    uint64_t warpValue = 0;
    int warpArg = 0, warpWidth = 32;
    uint64_t warpResult = 0;
    const char* warpName = "";
};

const char* warp_op_name(WarpOp op) {
    switch (op) {
        case WarpOp::IDX: return "__shfl_sync";
        case WarpOp::UP: return "__shfl_up_sync";
        case WarpOp::DOWN: return "__shfl_down_sync";
        case WarpOp::XOR: return "__shfl_xor_sync";
        case WarpOp::BALLOT: return "__ballot_sync";
        case WarpOp::ANY: return "__any_sync";
        case WarpOp::ALL: return "__all_sync";
    }
    return "?";
}

/** Runs the blocks handed to one host thread. */
class BlockRunner {
public:
    static BlockRunner& current() { static thread_local BlockRunner r; return r; }

    /** Runs block `linear` of the launch; returns false (with `error` set) when the block faulted. */
    bool run(const KernelEntry& k, const ThreadBody& body, const LaunchShape& s, uint64_t linear, uint64_t launchId,
             LaunchResult& out) {
        const unsigned bx = s.bx, by = s.by, bz = s.bz, n = bx * by * bz;
        tls_block_idx = uint3{(unsigned)(linear % s.gx), (unsigned)((linear / s.gx) % s.gy), (unsigned)(linear / ((uint64_t)s.gx * s.gy))};
        tls_block_dim = dim3(bx, by, bz);
        tls_grid_dim = dim3(s.gx, s.gy, s.gz);
        body_ = &body;
        kernel_ = &k;
        fault_.clear();
        deviceOnly_ = false;
        lanes_.resize(n);
        warps_ = (n + 31) / 32;
        warpLive_.assign(warps_, 0);
        warpWaiting_.assign(warps_, 0);
        for (unsigned i = 0; i < n; i++) {
            Lane& L = lanes_[i];
            L.idx = uint3{i % bx, (i / bx) % by, i / (bx * by)};
            L.linear = (int)i;
            L.state = LaneState::NEW;
            warpLive_[i / 32]++;
        }
        live_ = (int)n;
        blockWaiting_ = 0;
        rng_ = g_seed.load() ^ (launchId * 0xD1B54A32D192ED03ull) ^ (linear * 0x8CB92BA72F3D8DD7ull);
        shuffle_ = g_seed.load() != 0;

        ready_.clear();
        std::vector<int> all(n);
        for (unsigned i = 0; i < n; i++) all[i] = (int)i;
        enqueue(all);

        while (!ready_.empty() && fault_.empty() && !deviceOnly_) {
            int i = ready_.front();
            ready_.pop_front();
            resume(lanes_[i]);
            after_switch(lanes_[i]);
        }
        if (fault_.empty() && !deviceOnly_ && live_ > 0) fault_ = describe_deadlock();
        bool ok = fault_.empty() && !deviceOnly_;
        if (!ok) {
            for (Lane& L : lanes_) { L.fiber = ctx::fiber(); }   // unwinds the suspended fibers
            out.ok = false;
            out.deviceOnly = deviceOnly_;
            out.error = deviceOnly_ ? std::string("kernel ") + k.name + " runs only on a real GPU (its host body is REAPER_DEVICE_ONLY)"
                                    : fault_;
        }
        return ok;
    }

    // ---- called from inside a lane (a fiber) ----
    void block_barrier(BlockOp op, int predicate, int* result) {
        Lane& L = *current_;
        L.state = LaneState::BLOCK_WAIT;
        L.blockOp = op;
        L.predicate = predicate;
        yield(L);
        if (result) *result = L.blockResult;
    }

    uint64_t warp_op(WarpOp op, unsigned mask, uint64_t value, int arg, int width) {
        Lane& L = *current_;
        L.state = LaneState::WARP_WAIT;
        L.warpOp = op;
        L.warpMask = mask;
        L.warpValue = value;
        L.warpArg = arg;
        L.warpWidth = width;
        L.warpName = warp_op_name(op);
        yield(L);
        return L.warpResult;
    }

    void fault(std::string what) { throw KernelFault{std::move(what)}; }
    void device_only() { throw DeviceOnly{kernel_->name}; }
    Lane* lane() { return current_; }

private:
    void enqueue(std::vector<int>& ids) {
        if (shuffle_)
            for (std::size_t i = ids.size(); i > 1; i--) std::swap(ids[i - 1], ids[splitmix(rng_) % i]);
        for (int id : ids) { lanes_[id].state = lanes_[id].state == LaneState::NEW ? LaneState::NEW : LaneState::READY; ready_.push_back(id); }
    }

    void resume(Lane& L) {
        current_ = &L;
        tls_thread_idx = L.idx;
        if (L.state == LaneState::NEW) {
            L.state = LaneState::READY;
            L.fiber = ctx::fiber(std::allocator_arg, PooledStack{&stacks_}, [this, &L](ctx::fiber&& caller) {
                L.caller = std::move(caller);
                try {
                    (*body_)();
                } catch (KernelFault& f) {
                    if (fault_.empty()) fault_ = "thread " + where(L) + ": " + f.what;
                } catch (DeviceOnly&) {
                    deviceOnly_ = true;
                }
                L.state = LaneState::DONE;
                return std::move(L.caller);
            });
        }
        L.fiber = std::move(L.fiber).resume();
        current_ = nullptr;
    }

    void yield(Lane& L) { L.caller = std::move(L.caller).resume(); }

    std::string where(const Lane& L) const {
        char b[160];
        std::snprintf(b, sizeof b, "(%u,%u,%u) of block (%u,%u,%u) of %s", L.idx.x, L.idx.y, L.idx.z, tls_block_idx.x,
                      tls_block_idx.y, tls_block_idx.z, kernel_->name);
        return b;
    }

    void after_switch(Lane& L) {
        if (!fault_.empty() || deviceOnly_) return;
        int w = L.linear / 32;
        switch (L.state) {
            case LaneState::DONE:
                live_--;
                warpLive_[w]--;
                if (warpWaiting_[w] > 0) {
                    fault_ = "thread " + where(L) + " exited while other lanes of its warp wait in " + first_waiting_name(w) +
                             " with a mask naming it (undefined on a GPU)";
                    return;
                }
                if (blockWaiting_ > 0 && blockWaiting_ == live_) release_block();
                break;
            case LaneState::BLOCK_WAIT:
                blockWaiting_++;
                if (blockWaiting_ == live_) release_block();
                break;
            case LaneState::WARP_WAIT:
                warpWaiting_[w]++;
                if (warpWaiting_[w] == warpLive_[w]) release_warp(w);
                break;
            default:
                break;
        }
    }

    std::string first_waiting_name(int w) {
        for (int i = w * 32; i < std::min<int>((w + 1) * 32, (int)lanes_.size()); i++)
            if (lanes_[i].state == LaneState::WARP_WAIT) return lanes_[i].warpName;
        return "a warp operation";
    }

    void release_block() {
        // Every live thread is at a barrier; they must all be at a block barrier (a lane stuck in
        // a warp operation while its warp-mates wait at __syncthreads is a divergence deadlock).
        std::vector<int> waiting;
        int count = 0, all = 1, any = 0;
        BlockOp op = BlockOp::SYNC;
        bool first = true;
        for (Lane& L : lanes_) {
            if (L.state != LaneState::BLOCK_WAIT) continue;
            if (first) { op = L.blockOp; first = false; }
            else if (L.blockOp != op) {
                fault_ = "thread " + where(L) + " reached a different block barrier (__syncthreads variants differ)";
                return;
            }
            waiting.push_back(L.linear);
            count += L.predicate != 0;
            all &= L.predicate != 0;
            any |= L.predicate != 0;
        }
        int result = op == BlockOp::COUNT ? count : op == BlockOp::AND ? all : op == BlockOp::OR ? any : 0;
        for (int i : waiting) lanes_[i].blockResult = result;
        blockWaiting_ = 0;
        enqueue(waiting);
    }

    void release_warp(int w) {
        int lo = w * 32, hi = std::min<int>(lo + 32, (int)lanes_.size());
        unsigned present = hi - lo == 32 ? 0xffffffffu : ((1u << (hi - lo)) - 1);
        Lane& first = lanes_[lo];
        for (int i = lo; i < hi; i++) {
            Lane& L = lanes_[i];
            if (L.state != LaneState::WARP_WAIT) {
                fault_ = "thread " + where(first) + ": " + first.warpName + " while lane " + std::to_string(i - lo) + " of the warp is elsewhere";
                return;
            }
            if (L.warpOp != first.warpOp || L.warpMask != first.warpMask || L.warpWidth != first.warpWidth) {
                fault_ = "thread " + where(L) + ": warp diverged (" + L.warpName + " here, " + first.warpName + " in lane 0)";
                return;
            }
        }
        if (first.warpMask != present) {
            char b[96];
            std::snprintf(b, sizeof b, " with mask 0x%08x but the warp's lanes are 0x%08x", first.warpMask, present);
            fault_ = "thread " + where(first) + ": " + first.warpName + b + " (only full-warp masks are emulated)";
            return;
        }
        int width = first.warpWidth;
        if (width <= 0 || width > 32 || (width & (width - 1)) != 0) {
            fault_ = "thread " + where(first) + ": " + first.warpName + " with width " + std::to_string(width) + " (must be a power of 2 <= 32)";
            return;
        }
        uint64_t ballot = 0;
        for (int i = lo; i < hi; i++) if (lanes_[i].warpValue) ballot |= 1ull << (i - lo);
        for (int i = lo; i < hi; i++) {
            Lane& L = lanes_[i];
            int lane = i - lo, base = lane & ~(width - 1), src = lane;
            switch (L.warpOp) {
                case WarpOp::IDX: src = base + (L.warpArg & (width - 1)); break;
                case WarpOp::UP: src = lane - L.warpArg >= base ? lane - L.warpArg : lane; break;
                case WarpOp::DOWN: src = lane + L.warpArg < base + width ? lane + L.warpArg : lane; break;
                case WarpOp::XOR: src = (lane ^ L.warpArg) < base + width ? (lane ^ L.warpArg) : lane; break;
                default: break;
            }
            if (src >= hi - lo) src = lane;
            switch (L.warpOp) {
                case WarpOp::BALLOT: L.warpResult = ballot; break;
                case WarpOp::ANY: L.warpResult = ballot != 0; break;
                case WarpOp::ALL: L.warpResult = ballot == present; break;
                default: L.warpResult = lanes_[lo + src].warpValue; break;
            }
        }
        warpWaiting_[w] = 0;
        std::vector<int> ids;
        for (int i = lo; i < hi; i++) ids.push_back(i);
        enqueue(ids);
    }

    std::string describe_deadlock() {
        int atBlock = 0, atWarp = 0;
        for (Lane& L : lanes_) { atBlock += L.state == LaneState::BLOCK_WAIT; atWarp += L.state == LaneState::WARP_WAIT; }
        return std::string("deadlock in ") + kernel_->name + ": " + std::to_string(atBlock) + " threads wait at __syncthreads and " +
               std::to_string(atWarp) + " in warp operations that the other threads of the block never reach";
    }

    StackPool stacks_;
    std::vector<Lane> lanes_;
    std::deque<int> ready_;
    std::vector<int> warpLive_, warpWaiting_;
    int warps_ = 0, live_ = 0, blockWaiting_ = 0;
    uint64_t rng_ = 0;
    bool shuffle_ = false, deviceOnly_ = false;
    std::string fault_;
    const ThreadBody* body_ = nullptr;
    const KernelEntry* kernel_ = nullptr;
    Lane* current_ = nullptr;
};

BlockRunner& runner_in_kernel(const char* what) {
    BlockRunner& r = BlockRunner::current();
    if (!r.lane()) {
        std::fprintf(stderr, "reaper cuda emulator: %s called outside a kernel\n", what);
        std::abort();
    }
    return r;
}

/** Host threads that execute blocks; the launching thread works too. */
class WorkerPool {
public:
    static WorkerPool& get() { static WorkerPool* p = new WorkerPool(); return *p; }   // never destroyed: workers wait on it until exit

    void run(const KernelEntry& k, const ThreadBody& body, const LaunchShape& s, LaunchResult& result) {
        std::unique_lock<std::mutex> serial(launchMutex_);   // one kernel at a time, like one stream
        uint64_t blocks = (uint64_t)s.gx * s.gy * s.gz;
        uint64_t launchId = ++g_launch_counter;
        int threads = host_threads();
        ensure_workers(threads - 1);
        Job job{&k, &body, &s, blocks, launchId, {0}, {false}, {}, &result};
        {
            std::lock_guard<std::mutex> g(m_);
            job_ = &job;
            generation_++;
            active_ = std::min<int>(threads - 1, (int)std::min<uint64_t>(blocks, 1u << 30) - 1);
            if (active_ < 0) active_ = 0;
            busy_ = active_;
        }
        cv_.notify_all();
        work(job);
        std::unique_lock<std::mutex> g(m_);
        done_.wait(g, [&] { return busy_ == 0; });
        job_ = nullptr;
    }

private:
    struct Job {
        const KernelEntry* kernel;
        const ThreadBody* body;
        const LaunchShape* shape;
        uint64_t blocks, launchId;
        std::atomic<uint64_t> next;
        std::atomic<bool> failed;
        std::mutex errorMutex;
        LaunchResult* result;
    };

    static void work(Job& job) {
        BlockRunner& r = BlockRunner::current();
        LaunchResult local;
        for (;;) {
            if (job.failed.load(std::memory_order_relaxed)) break;
            uint64_t b = job.next.fetch_add(1);
            if (b >= job.blocks) break;
            if (!r.run(*job.kernel, *job.body, *job.shape, b, job.launchId, local)) {
                std::lock_guard<std::mutex> g(job.errorMutex);
                if (!job.failed.exchange(true)) *job.result = local;
                break;
            }
        }
    }

    void ensure_workers(int n) {
        while ((int)workers_.size() < n) {
            int id = (int)workers_.size();
            workers_.emplace_back([this, id] { loop(id); });
            workers_.back().detach();
        }
    }

    void loop(int id) {
        uint64_t seen = 0;
        for (;;) {
            Job* job;
            {
                std::unique_lock<std::mutex> g(m_);
                cv_.wait(g, [&] { return generation_ != seen && job_ != nullptr; });
                seen = generation_;
                if (id >= active_) continue;
                job = job_;
            }
            work(*job);
            {
                std::lock_guard<std::mutex> g(m_);
                if (--busy_ == 0) done_.notify_all();
            }
        }
    }

    std::mutex launchMutex_, m_;
    std::condition_variable cv_, done_;
    std::vector<std::thread> workers_;
    Job* job_ = nullptr;
    uint64_t generation_ = 0;
    int active_ = 0, busy_ = 0;
};

}  // namespace

void syncthreads() { runner_in_kernel("__syncthreads").block_barrier(BlockOp::SYNC, 0, nullptr); }
int syncthreads_count(int p) { int r; runner_in_kernel("__syncthreads_count").block_barrier(BlockOp::COUNT, p, &r); return r; }
int syncthreads_and(int p) { int r; runner_in_kernel("__syncthreads_and").block_barrier(BlockOp::AND, p, &r); return r; }
int syncthreads_or(int p) { int r; runner_in_kernel("__syncthreads_or").block_barrier(BlockOp::OR, p, &r); return r; }
void syncwarp(unsigned mask) { runner_in_kernel("__syncwarp").warp_op(WarpOp::BALLOT, mask, 0, 0, 32); }
uint64_t warp_exchange(WarpOp op, unsigned mask, uint64_t value, int arg, int width) {
    return runner_in_kernel("a warp operation").warp_op(op, mask, value, arg, width);
}
void device_only(const char*) { runner_in_kernel("REAPER_DEVICE_ONLY").device_only(); __builtin_unreachable(); }
void trap(const char* what) { runner_in_kernel(what).fault(std::string(what) + " was called"); __builtin_unreachable(); }

LaunchResult run_launch(const KernelEntry& kernel, const ThreadBody& body, const LaunchShape& shape) {
    LaunchResult result;
    WorkerPool::get().run(kernel, body, shape, result);
    return result;
}

void set_schedule_seed(uint64_t seed) { g_seed = seed; }
uint64_t schedule_seed() { return g_seed; }
void set_host_threads(int n) { g_host_threads = n; }
int host_threads() {
    int n = g_host_threads.load();
    if (n > 0) return n;
    unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : (int)hw;
}

}  // namespace reaper_emu
