package org.reaper.backend.cuda;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnBatchNormMode;
import jcuda.jcudnn.cudnnTensorDescriptor;
import org.reaper.tensor.Tensor;

/**
 * Spatial batch norm through cuDNN (training with PyTorch's momentum as cuDNN's exponential average
 * factor, inference with the running statistics, backward), descriptors cached per [N, C, H, W].
 * cuDNN's saved inverse standard deviation is the backend's saveInvStd.
 */
final class CudnnBatchNorm implements AutoCloseable {
    private static final Pointer ONE = Pointer.to(new float[] {1f}), ZERO = Pointer.to(new float[] {0f});

    record Shape4(int n, int c, int h, int w) {}
    record Descs(cudnnTensorDescriptor x, cudnnTensorDescriptor perChannel) {}

    private final Cudnn dnn;
    private final DescriptorCache<Shape4, Descs> descs = new DescriptorCache<>(
            s -> new Descs(Cudnn.tensor(s.n(), s.c(), s.h(), s.w()), Cudnn.tensor(1, s.c(), 1, 1)),
            d -> { JCudnn.cudnnDestroyTensorDescriptor(d.x()); JCudnn.cudnnDestroyTensorDescriptor(d.perChannel()); });

    CudnnBatchNorm(Cudnn dnn) { this.dnn = dnn; }

    private Descs of(Tensor x) {
        int hw = x.shape().sizeFrom(2);
        return descs.get(new Shape4(x.dim(0), x.dim(1), hw, 1));
    }

    void train(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float momentum, float eps, Tensor y, Tensor sm, Tensor sis) {
        Descs d = of(x);
        Cudnn.check("cudnnBatchNormalizationForwardTraining", JCudnn.cudnnBatchNormalizationForwardTraining(dnn.handle,
                cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, ONE, ZERO, d.x(), CudaStorage.ptr(x), d.x(), CudaStorage.ptr(y), d.perChannel(),
                CudaStorage.ptr(gamma), CudaStorage.ptr(beta), momentum, CudaStorage.ptr(rm), CudaStorage.ptr(rv), eps, CudaStorage.ptr(sm), CudaStorage.ptr(sis)));
    }

    void eval(Tensor x, Tensor gamma, Tensor beta, Tensor rm, Tensor rv, float eps, Tensor y) {
        Descs d = of(x);
        Cudnn.check("cudnnBatchNormalizationForwardInference", JCudnn.cudnnBatchNormalizationForwardInference(dnn.handle,
                cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL, ONE, ZERO, d.x(), CudaStorage.ptr(x), d.x(), CudaStorage.ptr(y), d.perChannel(),
                CudaStorage.ptr(gamma), CudaStorage.ptr(beta), CudaStorage.ptr(rm), CudaStorage.ptr(rv), eps));
    }

    /** The saved mean and inverse std are used as they are; cuDNN still asks for an epsilon (its minimum is passed). */
    void backward(Tensor x, Tensor dy, Tensor gamma, Tensor sm, Tensor sis, Tensor dx, Tensor dg, Tensor db) {
        double eps = 1e-5;
        Descs d = of(x);
        Cudnn.check("cudnnBatchNormalizationBackward", JCudnn.cudnnBatchNormalizationBackward(dnn.handle, cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL,
                ONE, ZERO, ONE, ZERO, d.x(), CudaStorage.ptr(x), d.x(), CudaStorage.ptr(dy), d.x(), CudaStorage.ptr(dx), d.perChannel(),
                CudaStorage.ptr(gamma), CudaStorage.ptr(dg), CudaStorage.ptr(db), eps, CudaStorage.ptr(sm), CudaStorage.ptr(sis)));
    }

    @Override public void close() { descs.close(); }
}
