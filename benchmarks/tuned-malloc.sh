# Sourced by run-cpu.sh and cpu-scaling.sh: the environment the tuned PyTorch peer runs under.
# glibc: serve big buffers from the heap (no mmap per tensor) and never trim it, so a step does not page-fault its
# activations in again; the same effect as jemalloc with decay off, and nothing to install.
TUNED_MALLOC=(env MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=268435456)
