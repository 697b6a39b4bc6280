// Registration of host-compiled kernels by their extern "C" name. The launcher of each kernel is
// generated from the kernel's own C++ signature (templates below), so kernelParams is unpacked
// exactly as the real driver would: params[i] points at argument i, structs by value included.
#pragma once
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace reaper_emu {

/** One argument of a CUDA thread's body, bound once per launch and run by every thread. */
using ThreadBody = std::function<void()>;

struct KernelEntry {
    const char* name;
    const char* module;      // the .cu file it came from
    std::string signature;   // one code per parameter: p pointer, i 4-byte int, l 8-byte int, f float, d double, sN struct of N bytes
    int paramCount;
    ThreadBody (*bind)(void* fn, void** params);
    void* fn;
};

void register_kernel(const KernelEntry& entry);

template <class T> std::string param_code() {
    if constexpr (std::is_pointer_v<T>) return "p";
    else if constexpr (std::is_same_v<T, float>) return "f";
    else if constexpr (std::is_same_v<T, double>) return "d";
    else if constexpr (std::is_integral_v<T> && sizeof(T) == 4) return "i";
    else if constexpr (std::is_integral_v<T> && sizeof(T) == 8) return "l";
    else if constexpr (std::is_integral_v<T>) return "i" + std::to_string(sizeof(T));
    else return "s" + std::to_string(sizeof(T));
}

template <class... A> std::string signature_of() {
    std::string s;
    ((s += (s.empty() ? "" : ","), s += param_code<std::decay_t<A>>()), ...);
    return s;
}

template <class T> T load_param(void* p) {
    T v;
    std::memcpy(static_cast<void*>(&v), p, sizeof(T));   // kernelParams[i] need not be aligned for T
    return v;
}

template <class... A, std::size_t... I>
ThreadBody bind_impl(void (*f)(A...), void** params, std::index_sequence<I...>) {
    auto args = std::make_shared<std::tuple<std::decay_t<A>...>>(load_param<std::decay_t<A>>(params[I])...);
    return [f, args]() { std::apply(f, *args); };
}

template <class... A> ThreadBody bind_kernel(void* fn, void** params) {
    auto f = reinterpret_cast<void (*)(A...)>(fn);
    return bind_impl(f, params, std::index_sequence_for<A...>{});
}

template <class... A> KernelEntry make_entry(const char* name, const char* module, void (*f)(A...)) {
    return KernelEntry{name, module, signature_of<A...>(), (int)sizeof...(A), &bind_kernel<A...>, reinterpret_cast<void*>(f)};
}

/** A static instance per kernel registers it when the stand-in library loads. */
struct Registrar {
    template <class... A> Registrar(const char* name, const char* module, void (*f)(A...)) {
        register_kernel(make_entry(name, module, f));
    }
};

}  // namespace reaper_emu

#define REAPER_REGISTER_KERNEL(module, name) static ::reaper_emu::Registrar reaper_registrar_##name(#name, module, &name);
