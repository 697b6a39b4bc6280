package org.reaper.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reaper.autograd.Tape;
import org.reaper.autograd.Variable;
import org.reaper.autograd.ops.GradCheck;
import org.reaper.backend.Backend;
import org.reaper.backend.cpu.CpuBackend;
import org.reaper.tensor.Shape;
import org.reaper.tensor.TensorScope;

/**
 * AdaptiveAvgPool2d against PyTorch's definition written out in double (bins floor(i*in/out) .. ceil((i+1)*in/out)),
 * for each of its three routes (same size, exact multiple, averaging matrix), plus its gradient by finite differences.
 */
class AdaptiveAvgPool2dTest {
    private static final Backend CPU = new CpuBackend(2);

    @ParameterizedTest
    @CsvSource({"7,7,7,7", "14,14,7,7", "2,2,7,7", "1,1,7,7", "3,5,7,7", "10,9,7,7", "13,13,7,7", "9,6,4,3"})
    void matchesTorchsBins(int h, int w, int outH, int outW) throws Exception {
        int n = 2, c = 3;
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37 + 0.1) * (1 + i % 5);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(CPU, outH, outW);
        float[] y;
        try (TensorScope s = TensorScope.open(); AutoCloseable g = Tape.noGrad()) {
            Variable in = Variable.constant(CPU.fromHost(x, Shape.of(n, c, h, w)));
            Variable out = pool.forward(in);
            assertEquals(Shape.of(n, c, outH, outW), out.shape());
            if (h == outH && w == outW) assertSame(in, out, "same size: passed through");
            y = CPU.toHost(out.value());
        }
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    int y0 = (int) Math.floor((double) i * h / outH), y1 = (int) Math.ceil((double) (i + 1) * h / outH);
                    int x0 = (int) Math.floor((double) j * w / outW), x1 = (int) Math.ceil((double) (j + 1) * w / outW);
                    double sum = 0;
                    for (int yy = y0; yy < y1; yy++) for (int xx = x0; xx < x1; xx++) sum += x[p * h * w + yy * w + xx];
                    double want = sum / ((y1 - y0) * (x1 - x0));
                    assertEquals(want, y[(p * outH + i) * outW + j], 1e-5 * (1 + Math.abs(want)), h + "x" + w + " plane " + p + " cell " + i + "," + j);
                }
    }

    static List<int[]> gradientShapes() { return List.of(new int[] {6, 6, 3}, new int[] {2, 3, 4}, new int[] {5, 4, 3}); }

    @ParameterizedTest
    @MethodSource("gradientShapes")
    void gradientIsTheDerivative(int[] hwOut) {
        int h = hwOut[0], w = hwOut[1], out = hwOut[2];
        Variable x = GradCheck.leaf(CPU, "adaptive/x/" + h + "x" + w, -1, 1, 2, 2, h, w);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(CPU, out, out);
        GradCheck.check("adaptive avg pool " + h + "x" + w + " -> " + out, CPU, List.of(x), () -> pool.forward(x), 1e-2f, 1e-2);
    }
}
