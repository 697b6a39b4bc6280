package org.reaper.backend.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;
import org.reaper.tensor.Tensor;

/**
 * cuBLAS SGEMM on the backend's stream, for row-major tensors: C = op(A) op(B) is computed as the
 * column-major C^T = op(B)^T op(A)^T, which needs no copies. Only created when libcublas.so.12 loads.
 */
final class CublasGemm implements AutoCloseable {
    private final cublasHandle handle = new cublasHandle();

    CublasGemm(CudaContext ctx) {
        ctx.makeCurrent();
        JCublas2.setExceptionsEnabled(true);
        JCublas2.cublasCreate(handle);
        JCublas2.cublasSetStream(handle, new cudaStream_t(ctx.stream));
    }

    void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        JCublas2.cublasSgemm(handle, tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k,
                Pointer.to(new float[] {alpha}), CudaStorage.ptr(b), tb ? k : n, CudaStorage.ptr(a), ta ? m : k,
                Pointer.to(new float[] {beta}), CudaStorage.ptr(c), n);
    }

    @Override public void close() { JCublas2.cublasDestroy(handle); }
}
