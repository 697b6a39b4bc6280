package org.reaper.backend.cuda;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.reaper.backend.ConvGeometry;
import org.reaper.tensor.Tensor;

/**
 * Convolutions through cuDNN: per geometry, descriptors and the algorithms found once with
 * cudnnFind*AlgorithmEx (the fastest deterministic one, FP32 FMA math so results stay FP32, not
 * TF32), cached until the backend closes; workspaces come from the memory pool.
 */
final class CudnnConv implements AutoCloseable {
    private static final long SEARCH_WORKSPACE = 64L << 20;
    private static final int DETERMINISTIC = 1;
    private static final Pointer ONE = Pointer.to(new float[] {1f}), ZERO = Pointer.to(new float[] {0f});

    record Plan(cudnnTensorDescriptor x, cudnnFilterDescriptor w, cudnnConvolutionDescriptor conv, cudnnTensorDescriptor y,
                cudnnTensorDescriptor bias, int[] algo, long[] workspace) {}

    private final Cudnn dnn;
    private final CudaMemoryPool pool;
    private final DescriptorCache<ConvGeometry, Plan> plans;

    CudnnConv(Cudnn dnn, CudaMemoryPool pool) {
        this.dnn = dnn;
        this.pool = pool;
        this.plans = new DescriptorCache<>(this::plan, CudnnConv::destroy);
    }

    void forward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvGeometry g) {
        Plan p = plans.get(g);
        try (DeviceScratch ws = new DeviceScratch(pool, p.workspace()[0])) {
            Cudnn.check("cudnnConvolutionForward", JCudnn.cudnnConvolutionForward(dnn.handle, ONE, p.x(), CudaStorage.ptr(x), p.w(), CudaStorage.ptr(w),
                    p.conv(), p.algo()[0], ws.ptr, p.workspace()[0], ZERO, p.y(), CudaStorage.ptr(y)));
        }
        if (bias != null) Cudnn.check("cudnnAddTensor", JCudnn.cudnnAddTensor(dnn.handle, ONE, p.bias(), CudaStorage.ptr(bias), ONE, p.y(), CudaStorage.ptr(y)));
    }

    void backwardData(Tensor dy, Tensor w, Tensor dx, ConvGeometry g) {
        Plan p = plans.get(g);
        try (DeviceScratch ws = new DeviceScratch(pool, p.workspace()[1])) {
            Cudnn.check("cudnnConvolutionBackwardData", JCudnn.cudnnConvolutionBackwardData(dnn.handle, ONE, p.w(), CudaStorage.ptr(w), p.y(),
                    CudaStorage.ptr(dy), p.conv(), p.algo()[1], ws.ptr, p.workspace()[1], ZERO, p.x(), CudaStorage.ptr(dx)));
        }
    }

    void backwardFilter(Tensor x, Tensor dy, Tensor dw, Tensor db, ConvGeometry g) {
        Plan p = plans.get(g);
        try (DeviceScratch ws = new DeviceScratch(pool, p.workspace()[2])) {
            Cudnn.check("cudnnConvolutionBackwardFilter", JCudnn.cudnnConvolutionBackwardFilter(dnn.handle, ONE, p.x(), CudaStorage.ptr(x), p.y(),
                    CudaStorage.ptr(dy), p.conv(), p.algo()[2], ws.ptr, p.workspace()[2], ZERO, p.w(), CudaStorage.ptr(dw)));
        }
        if (db != null) Cudnn.check("cudnnConvolutionBackwardBias", JCudnn.cudnnConvolutionBackwardBias(dnn.handle, ONE, p.y(), CudaStorage.ptr(dy), ZERO, p.bias(), CudaStorage.ptr(db)));
    }

    /** Descriptors for one geometry and the fastest deterministic algorithm of each direction, found on scratch buffers. */
    private Plan plan(ConvGeometry g) {
        cudnnTensorDescriptor x = Cudnn.tensor(g.batch(), g.inChannels(), g.inH(), g.inW());
        cudnnTensorDescriptor y = Cudnn.tensor(g.batch(), g.outChannels(), g.outH(), g.outW());
        cudnnTensorDescriptor bias = Cudnn.tensor(1, g.outChannels(), 1, 1);
        cudnnFilterDescriptor w = new cudnnFilterDescriptor();
        Cudnn.check("cudnnCreateFilterDescriptor", JCudnn.cudnnCreateFilterDescriptor(w));
        Cudnn.check("cudnnSetFilter4dDescriptor", JCudnn.cudnnSetFilter4dDescriptor(w, cudnnDataType.CUDNN_DATA_FLOAT, cudnnTensorFormat.CUDNN_TENSOR_NCHW,
                g.outChannels(), g.inChannels(), g.kernelH(), g.kernelW()));
        cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
        Cudnn.check("cudnnCreateConvolutionDescriptor", JCudnn.cudnnCreateConvolutionDescriptor(conv));
        Cudnn.check("cudnnSetConvolution2dDescriptor", JCudnn.cudnnSetConvolution2dDescriptor(conv, g.padH(), g.padW(), g.strideH(), g.strideW(), 1, 1,
                cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, cudnnDataType.CUDNN_DATA_FLOAT));
        Cudnn.check("cudnnSetConvolutionMathType", JCudnn.cudnnSetConvolutionMathType(conv, cudnnMathType.CUDNN_FMA_MATH));
        int[] algo = new int[3];
        long[] workspace = new long[3];
        long xb = (long) g.inputShape().numel() * Float.BYTES, wb = (long) g.weightShape().numel() * Float.BYTES, yb = (long) g.outputShape().numel() * Float.BYTES;
        try (DeviceScratch tx = new DeviceScratch(pool, xb); DeviceScratch tw = new DeviceScratch(pool, wb); DeviceScratch ty = new DeviceScratch(pool, yb);
             DeviceScratch ws = new DeviceScratch(pool, SEARCH_WORKSPACE)) {
            int[] found = new int[1];
            cudnnConvolutionFwdAlgoPerf[] f = perfs(new cudnnConvolutionFwdAlgoPerf[8], cudnnConvolutionFwdAlgoPerf::new);
            Cudnn.check("cudnnFindConvolutionForwardAlgorithmEx", JCudnn.cudnnFindConvolutionForwardAlgorithmEx(dnn.handle, x, tx.ptr, w, tw.ptr, conv, y, ty.ptr,
                    f.length, found, f, ws.ptr, SEARCH_WORKSPACE));
            for (int i = found[0] - 1; i >= 0; i--) if (f[i].status == 0 && f[i].determinism == DETERMINISTIC) { algo[0] = f[i].algo; workspace[0] = f[i].memory; }
            cudnnConvolutionBwdDataAlgoPerf[] d = perfs(new cudnnConvolutionBwdDataAlgoPerf[8], cudnnConvolutionBwdDataAlgoPerf::new);
            Cudnn.check("cudnnFindConvolutionBackwardDataAlgorithmEx", JCudnn.cudnnFindConvolutionBackwardDataAlgorithmEx(dnn.handle, w, tw.ptr, y, ty.ptr, conv, x,
                    tx.ptr, d.length, found, d, ws.ptr, SEARCH_WORKSPACE));
            for (int i = found[0] - 1; i >= 0; i--) if (d[i].status == 0 && d[i].determinism == DETERMINISTIC) { algo[1] = d[i].algo; workspace[1] = d[i].memory; }
            cudnnConvolutionBwdFilterAlgoPerf[] b = perfs(new cudnnConvolutionBwdFilterAlgoPerf[8], cudnnConvolutionBwdFilterAlgoPerf::new);
            Cudnn.check("cudnnFindConvolutionBackwardFilterAlgorithmEx", JCudnn.cudnnFindConvolutionBackwardFilterAlgorithmEx(dnn.handle, x, tx.ptr, y, ty.ptr, conv,
                    w, tw.ptr, b.length, found, b, ws.ptr, SEARCH_WORKSPACE));
            for (int i = found[0] - 1; i >= 0; i--) if (b[i].status == 0 && b[i].determinism == DETERMINISTIC) { algo[2] = b[i].algo; workspace[2] = b[i].memory; }
        }
        return new Plan(x, w, conv, y, bias, algo, workspace);
    }

    private static <T> T[] perfs(T[] a, java.util.function.Supplier<T> make) {
        for (int i = 0; i < a.length; i++) a[i] = make.get();
        return a;
    }

    private static void destroy(Plan p) {
        JCudnn.cudnnDestroyTensorDescriptor(p.x());
        JCudnn.cudnnDestroyTensorDescriptor(p.y());
        JCudnn.cudnnDestroyTensorDescriptor(p.bias());
        JCudnn.cudnnDestroyFilterDescriptor(p.w());
        JCudnn.cudnnDestroyConvolutionDescriptor(p.conv());
    }

    @Override public void close() { plans.close(); }
}
