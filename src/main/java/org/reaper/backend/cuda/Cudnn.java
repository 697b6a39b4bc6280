package org.reaper.backend.cuda;

import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.runtime.cudaStream_t;
import org.reaper.ReaperException;

/**
 * The cuDNN handle on the backend's stream (libcudnn.so.9 through JCuda), shared by the cuDNN
 * convolution and batch-norm providers; every status is checked and reported with
 * cudnnGetErrorString. Created only where cuDNN loaded (never on the CPU stand-in).
 */
final class Cudnn implements AutoCloseable {
    final cudnnHandle handle = new cudnnHandle();

    Cudnn(CudaContext ctx) {
        ctx.makeCurrent();
        JCudnn.setExceptionsEnabled(false);
        check("cudnnCreate", JCudnn.cudnnCreate(handle));
        check("cudnnSetStream", JCudnn.cudnnSetStream(handle, new cudaStream_t(ctx.stream)));
    }

    static void check(String what, int status) {
        if (status != 0) throw new ReaperException("cuDNN " + what + " failed: " + JCudnn.cudnnGetErrorString(status));
    }

    /** An NCHW float32 tensor descriptor. */
    static cudnnTensorDescriptor tensor(int n, int c, int h, int w) {
        cudnnTensorDescriptor d = new cudnnTensorDescriptor();
        check("cudnnCreateTensorDescriptor", JCudnn.cudnnCreateTensorDescriptor(d));
        check("cudnnSetTensor4dDescriptor", JCudnn.cudnnSetTensor4dDescriptor(d, cudnnTensorFormat.CUDNN_TENSOR_NCHW, cudnnDataType.CUDNN_DATA_FLOAT, n, c, h, w));
        return d;
    }

    @Override public void close() { JCudnn.cudnnDestroy(handle); }
}
