package org.reaper.backend.cuda;

import jcuda.CudaException;

/** Turns a failed driver call into one readable line: what failed, the CUresult, and the stand-in's detail when emulated. */
final class CudaFailure {
    private CudaFailure() {}

    static String describe(String what, CudaException e) {
        String detail = CudaEmulator.lastErrorDetail();
        String code = e.getMessage() == null ? "CUDA error" : e.getMessage().strip();
        return what + ": " + code + (detail != null && !detail.isBlank() ? " (" + detail + ")" : "");
    }

    static boolean outOfMemory(CudaException e) {
        return e.getMessage() != null && e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY");
    }
}
