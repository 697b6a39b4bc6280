package org.reaper.backend.cuda;

/**
 * Every kernel the Java side launches: the module (native-kernels/&lt;module&gt;.cu, packaged as
 * /native-kernels/&lt;module&gt;.fatbin) and its extern "C" name. KernelManifestTest checks that each
 * one exists in the sources and in the built fatbins.
 */
public enum CudaKernels {
    EW_FILL("elementwise", "ew_fill"),
    EW_COPY("elementwise", "ew_copy"),
    EW_ADD("elementwise", "ew_add"),
    EW_ADD_RELU("elementwise", "ew_add_relu"),
    EW_MUL("elementwise", "ew_mul"),
    EW_SCALE("elementwise", "ew_scale"),
    EW_AXPY("elementwise", "ew_axpy"),
    RELU_FWD("elementwise", "relu_fwd"),
    RELU_BWD("elementwise", "relu_bwd"),
    REDUCE_SUM_PARTIALS("elementwise", "reduce_sum_partials"),
    REDUCE_SUM_FINISH("elementwise", "reduce_sum_finish"),
    ADD_BIAS_ROWS("elementwise", "add_bias_rows"),
    COLUMN_SUMS("elementwise", "column_sums"),

    SGEMM_TILED("gemm", "sgemm_tiled"),
    SGEMM_TF32_WMMA("gemm", "sgemm_tf32_wmma"),

    CONV2D_FWD("conv", "conv2d_fwd_implicit_gemm"),
    CONV2D_BWD_DATA("conv", "conv2d_bwd_data_implicit_gemm"),
    CONV2D_BWD_FILTER("conv", "conv2d_bwd_filter_implicit_gemm"),
    SPLIT_K_REDUCE("conv", "split_k_reduce"),
    CONV2D_BIAS_GRAD("conv", "conv2d_bias_grad"),

    BN_TRAIN_STATS("batchnorm", "bn_train_stats"),
    BN_APPLY("batchnorm", "bn_apply"),
    BN_EVAL_APPLY("batchnorm", "bn_eval_apply"),
    BN_BWD_REDUCE("batchnorm", "bn_bwd_reduce"),
    BN_BWD_DX("batchnorm", "bn_bwd_dx"),

    MAXPOOL2D_FWD("pool", "maxpool2d_fwd"),
    MAXPOOL2D_BWD("pool", "maxpool2d_bwd"),
    AVGPOOL2D_FWD("pool", "avgpool2d_fwd"),
    AVGPOOL2D_BWD("pool", "avgpool2d_bwd"),

    SOFTMAX_XENT_FWD("loss", "softmax_xent_fwd"),
    SOFTMAX_XENT_BWD("loss", "softmax_xent_bwd"),
    COUNT_CORRECT("loss", "count_correct"),

    SGD_STEP("optim", "sgd_step"),
    SGD_STEP_LIST("optim", "sgd_step_list"),
    ADAM_STEP("optim", "adam_step"),

    SCALE_ROWS("repr", "scale_rows"),
    REPR_ROW_SUMSQ("repr", "repr_row_sumsq"),
    REPR_FILTER_GRAM("repr", "repr_filter_gram"),
    REPR_ORTHO_SCORES("repr", "repr_ortho_scores"),
    GATHER_ROWS("repr", "gather_rows"),
    SCATTER_ROWS("repr", "scatter_rows"),
    REPR_REINIT_NULL_SPACE("repr", "repr_reinit_null_space"),

    RNG_UNIFORM("rng", "rng_uniform"),
    RNG_NORMAL("rng", "rng_normal"),
    RNG_DROPOUT("rng", "rng_dropout");

    /** Where the compiled modules live on the class path. */
    public static final String RESOURCE_DIR = "/native-kernels/";
    /** Written by native-kernels/build.sh: one module name per line. */
    public static final String MODULE_LIST = RESOURCE_DIR + "modules.txt";

    private final String module;
    private final String symbol;

    CudaKernels(String module, String symbol) { this.module = module; this.symbol = symbol; }

    public String module() { return module; }
    public String symbol() { return symbol; }
    public String resource() { return RESOURCE_DIR + module + ".fatbin"; }
}
