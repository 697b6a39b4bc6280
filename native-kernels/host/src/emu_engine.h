// The execution model of the CPU stand-in: blocks spread over host threads; the threads of a block
// are cooperative fibers (Boost.Context) that switch only at barriers and warp operations, so
// __syncthreads is a real barrier and a warp shuffle really exchanges among 32 lanes. A seeded
// schedule permutes the order in which threads run after every barrier, so a missing barrier or a
// race between threads changes the result instead of passing by luck.
#pragma once
#include <cstdint>
#include <string>

#include "emu_registry.h"

namespace reaper_emu {

struct LaunchShape {
    unsigned gx, gy, gz, bx, by, bz;
};

/** What a launch did: ok, or the error text (a kernel fault, a divergent warp, a deadlock...). */
struct LaunchResult {
    bool ok = true;
    bool deviceOnly = false;   // the kernel has no host body (REAPER_DEVICE_ONLY)
    std::string error;
};

/** Runs every block of one launch and returns when all are done (launches are synchronous). */
LaunchResult run_launch(const KernelEntry& kernel, const ThreadBody& body, const LaunchShape& shape);

/** 0 runs threads in index order; any other value permutes them at every barrier, seeded by it. */
void set_schedule_seed(uint64_t seed);
uint64_t schedule_seed();
/** Host threads that run blocks (1 = everything on the calling thread). */
void set_host_threads(int n);
int host_threads();

}  // namespace reaper_emu
