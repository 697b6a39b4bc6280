#include "module_image.h"

#include <elf.h>

#include <cstdint>
#include <cstring>

namespace reaper_emu {

namespace {
constexpr uint32_t kFatbinMagic = 0xBA55ED50u;
constexpr const char* kHostModule = "reaper-host-module\n";

constexpr int kDeviceArch = 90;   // the emulated device is an sm_90 (H200)

/**
 * Reads .nv.shared.<kernel> section sizes out of one cubin that lies in [p, p + avail), if its
 * architecture (e_flags bits 8-15) is the best match so far for the emulated sm_90: the sm_90
 * cubin counts the 1 KiB that the GPU reserves per block, the sm_80 one does not.
 */
void read_cubin(const unsigned char* p, std::size_t avail, ModuleImage& m, int& bestArch) {
    if (avail < sizeof(Elf64_Ehdr)) return;
    Elf64_Ehdr eh;
    std::memcpy(&eh, p, sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0) return;
    if (eh.e_shoff + (std::size_t)eh.e_shnum * sizeof(Elf64_Shdr) > avail || eh.e_shstrndx >= eh.e_shnum) return;
    int arch = (int)((eh.e_flags >> 8) & 0xff);
    if (arch > kDeviceArch || arch < bestArch) return;
    if (arch > bestArch) m.staticShared.clear();
    bestArch = arch;
    auto section = [&](int i) { Elf64_Shdr s; std::memcpy(&s, p + eh.e_shoff + (std::size_t)i * sizeof s, sizeof s); return s; };
    Elf64_Shdr names = section(eh.e_shstrndx);
    if (names.sh_offset + names.sh_size > avail) return;
    const char* strtab = reinterpret_cast<const char*>(p + names.sh_offset);
    const std::string prefix = ".nv.shared.";
    for (int i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr s = section(i);
        if (s.sh_name >= names.sh_size) continue;
        std::string name(strtab + s.sh_name, strnlen(strtab + s.sh_name, names.sh_size - s.sh_name));
        if (name.compare(0, prefix.size(), prefix) == 0) {
            std::string kernel = name.substr(prefix.size());
            m.staticShared[kernel] = s.sh_size;
        }
    }
}
}  // namespace

bool ModuleImage::containsName(const std::string& name) const {
    if (names.count(name)) return true;
    // In a fatbin or cubin a kernel's name stands in the string tables as "name\0" after "\0" or "."
    std::size_t at = 0;
    while ((at = text.find(name, at)) != std::string::npos) {
        bool startOk = at == 0 || text[at - 1] == '\0' || text[at - 1] == '.' || text[at - 1] == ' ';
        std::size_t end = at + name.size();
        bool endOk = end == text.size() || text[end] == '\0' || text[end] == '(' || text[end] == '\n' || text[end] == ' ';
        if (startOk && endOk) return true;
        at = end;
    }
    return false;
}

ModuleImage parse_module_image(const void* image) {
    ModuleImage m;
    if (!image) { m.error = "the module image is a null pointer"; return m; }
    const unsigned char* p = static_cast<const unsigned char*>(image);
    uint32_t magic;
    std::memcpy(&magic, p, 4);
    if (magic == kFatbinMagic) {
        uint16_t headerSize;
        uint64_t fatSize;
        std::memcpy(&headerSize, p + 6, 2);
        std::memcpy(&fatSize, p + 8, 8);
        std::size_t total = headerSize + fatSize;
        if (headerSize < 16 || fatSize == 0 || total > (1ull << 31)) { m.error = "a fatbin header with impossible sizes"; return m; }
        m.text.assign(reinterpret_cast<const char*>(p), total);
        int bestArch = 0;
        for (std::size_t off = 0; off + 4 <= total; off += 8)
            if (std::memcmp(p + off, ELFMAG, SELFMAG) == 0) read_cubin(p + off, total - off, m, bestArch);
        m.valid = true;
        return m;
    }
    if (std::memcmp(p, ELFMAG, SELFMAG) == 0) {
        Elf64_Ehdr eh;
        std::memcpy(&eh, p, sizeof eh);
        std::size_t total = eh.e_shoff + (std::size_t)eh.e_shnum * eh.e_shentsize;
        m.text.assign(reinterpret_cast<const char*>(p), total);
        int bestArch = 0;
        read_cubin(p, total, m, bestArch);
        m.valid = true;
        return m;
    }
    std::string text(reinterpret_cast<const char*>(p));
    if (text.compare(0, std::strlen(kHostModule), kHostModule) == 0) {
        std::size_t at = std::strlen(kHostModule);
        while (at < text.size()) {
            std::size_t nl = text.find('\n', at);
            std::string name = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
            if (!name.empty()) m.names.insert(name);
            if (nl == std::string::npos) break;
            at = nl + 1;
        }
        m.valid = true;
        return m;
    }
    if (text.find(".version") != std::string::npos && text.find(".entry") != std::string::npos) {
        m.text = text;
        m.valid = true;
        return m;
    }
    m.error = "the module image is neither a fatbin, a cubin, PTX nor a host module";
    return m;
}

}  // namespace reaper_emu
