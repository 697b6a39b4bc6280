// State of the stand-in shared by the driver API (driver.cpp) and its JNI control surface (jni_control.cpp).
#pragma once
#include <map>
#include <string>

#include "emu_registry.h"

namespace reaper_emu {
/** The detail of the last failed driver call on this thread (empty when none). */
extern thread_local std::string t_last_error;
/** Every host-compiled kernel by name. */
std::map<std::string, KernelEntry>& registry();
const KernelEntry* find_kernel(const std::string& name);
}  // namespace reaper_emu
