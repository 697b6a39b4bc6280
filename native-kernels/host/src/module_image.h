// What the stand-in reads from a module image handed to cuModuleLoadData: the kernel names it
// holds and, from each embedded cubin (ELF), the static shared memory of each kernel
// (.nv.shared.<kernel> sections), the figure the real driver checks launches against.
#pragma once
#include <cstddef>
#include <map>
#include <set>
#include <string>

namespace reaper_emu {

struct ModuleImage {
    bool valid = false;
    std::string error;                         // why the image is not valid
    std::set<std::string> names;               // kernel names present (to be matched against the registry)
    std::map<std::string, std::size_t> staticShared;   // kernel -> static shared bytes (cubins only)
    bool containsName(const std::string& name) const;
    std::string text;                          // searchable bytes of the image
};

/**
 * Parses a fatbin (magic 0xBA55ED50, as nvcc -fatbin writes it), a bare cubin (ELF), PTX text, or a
 * host module ("reaper-host-module\n" followed by kernel names, one per line: for tests and builds
 * without nvcc).
 */
ModuleImage parse_module_image(const void* image);

}  // namespace reaper_emu
