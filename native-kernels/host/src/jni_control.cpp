// The stand-in's own controls, for org.reaper.backend.cuda.CudaEmulator (the stand-in is loaded by
// System.load, so it is also that class's JNI library): transfer and launch counters, the
// schedule seed, host threads, the emulated memory size, the detail of the last error, and each
// kernel's parameter signature (so the Java launcher can check what it packs).
#include <jni.h>

#include <string>

#include "device_memory.h"
#include "emu_engine.h"
#include "emu_state.h"

using namespace reaper_emu;

extern "C" {

JNIEXPORT jlongArray JNICALL Java_org_reaper_backend_cuda_CudaEmulator_counters(JNIEnv* env, jclass) {
    Counters c = DeviceMemory::get().counters();
    jlong v[10] = {(jlong)c.launches, (jlong)c.bytesHtoD, (jlong)c.bytesDtoH, (jlong)c.bytesDtoD,
                   (jlong)c.allocations, (jlong)c.frees, (jlong)c.bytesInUse, (jlong)c.peakBytesInUse,
                   (jlong)c.largestHtoD, (jlong)c.largestDtoH};
    jlongArray out = env->NewLongArray(10);
    env->SetLongArrayRegion(out, 0, 10, v);
    return out;
}

JNIEXPORT void JNICALL Java_org_reaper_backend_cuda_CudaEmulator_resetCounters(JNIEnv*, jclass) {
    DeviceMemory::get().reset_counters();
}

JNIEXPORT void JNICALL Java_org_reaper_backend_cuda_CudaEmulator_setScheduleSeed(JNIEnv*, jclass, jlong seed) {
    set_schedule_seed((uint64_t)seed);
}

JNIEXPORT jlong JNICALL Java_org_reaper_backend_cuda_CudaEmulator_scheduleSeed(JNIEnv*, jclass) {
    return (jlong)schedule_seed();
}

JNIEXPORT void JNICALL Java_org_reaper_backend_cuda_CudaEmulator_setHostThreads(JNIEnv*, jclass, jint n) {
    set_host_threads(n);
}

JNIEXPORT jint JNICALL Java_org_reaper_backend_cuda_CudaEmulator_hostThreads(JNIEnv*, jclass) {
    return host_threads();
}

JNIEXPORT void JNICALL Java_org_reaper_backend_cuda_CudaEmulator_setMemoryLimit(JNIEnv*, jclass, jlong bytes) {
    DeviceMemory::get().set_limit((std::size_t)bytes);
}

JNIEXPORT jlong JNICALL Java_org_reaper_backend_cuda_CudaEmulator_memoryLimit(JNIEnv*, jclass) {
    return (jlong)DeviceMemory::get().limit();
}

JNIEXPORT jstring JNICALL Java_org_reaper_backend_cuda_CudaEmulator_lastError(JNIEnv* env, jclass) {
    return t_last_error.empty() ? nullptr : env->NewStringUTF(t_last_error.c_str());
}

JNIEXPORT jstring JNICALL Java_org_reaper_backend_cuda_CudaEmulator_kernelSignature(JNIEnv* env, jclass, jstring name) {
    const char* n = env->GetStringUTFChars(name, nullptr);
    const KernelEntry* k = find_kernel(n);
    env->ReleaseStringUTFChars(name, n);
    return k ? env->NewStringUTF(k->signature.c_str()) : nullptr;
}

JNIEXPORT jobjectArray JNICALL Java_org_reaper_backend_cuda_CudaEmulator_kernelNames(JNIEnv* env, jclass) {
    auto& r = registry();
    jobjectArray out = env->NewObjectArray((jsize)r.size(), env->FindClass("java/lang/String"), nullptr);
    jsize i = 0;
    for (auto& kv : r) env->SetObjectArrayElement(out, i++, env->NewStringUTF(kv.first.c_str()));
    return out;
}

}  // extern "C"
