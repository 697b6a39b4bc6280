// nvcc's <mma.h> on the host: the tensor-core (wmma) API has no host equivalent; kernels that use it
// compile their host branch to REAPER_DEVICE_ONLY() and are refused at launch by the CPU stand-in.
#pragma once
