package org.reaper.backend.cpu;

/**
 * The register-tiled inner kernel of {@link CpuGemm}: C[mr x nr] (op) = Ap * Bp over kc steps, where
 * Ap is an MR-row micro-panel (for each k, MR values) and Bp an NR-column micro-panel (for each k,
 * NR values), both packed and zero-padded by CpuGemm. The Vector API kernel is loaded by name only
 * when the incubator module is present, so the scalar fallback never touches jdk.incubator.vector.
 */
abstract class GemmMicroKernel {
    final int mr;
    final int nr;

    GemmMicroKernel(int mr, int nr) { this.mr = mr; this.nr = nr; }

    /**
     * Full tile: C[r][j] = acc (beta == 0), C += acc (beta == 1), else C = beta * C + acc,
     * for r < mr, j < nr with row stride ldc.
     */
    abstract void full(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float beta);

    /** Edge tile of rows x cols (at most mr x nr): computed in {@code tile} (mr*nr floats), then merged. */
    final void partial(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float beta,
                       int rows, int cols, float[] tile) {
        full(kc, ap, ao, bp, bo, tile, 0, nr, 0f);
        for (int r = 0; r < rows; r++) {
            int t = r * nr, o = co + r * ldc;
            if (beta == 0f) System.arraycopy(tile, t, c, o, cols);
            else if (beta == 1f) for (int j = 0; j < cols; j++) c[o + j] += tile[t + j];
            else for (int j = 0; j < cols; j++) c[o + j] = beta * c[o + j] + tile[t + j];
        }
    }

    abstract String describe();

    /** The matching direct-convolution tile, or null when this kernel has none (then conv uses im2col). */
    ConvMicroKernel convKernel() { return null; }

    /** The Vector API kernel when jdk.incubator.vector is in the boot layer (and not disabled), else scalar. */
    static GemmMicroKernel select() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !Boolean.getBoolean("reaper.gemm.scalar");
        if (vector) {
            try {
                return (GemmMicroKernel) Class.forName("org.reaper.backend.cpu.GemmVectorKernel")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar kernel
            }
        }
        return new GemmScalarKernel();
    }
}
