import org.reaper.backend.cpu.CpuParallel;
/** Microseconds one CpuParallel.forRange hand-off costs (2 threads, a trivial body), back to back and after 20 us of serial work.
 *  java -cp target/classes benchmarks/ParallelHandoff.java */
public class ParallelHandoff {
    public static void main(String[] a) throws Exception {
        try (CpuParallel par = new CpuParallel(2)) {
            float[] x = new float[2];
            for (int round = 0; round < 3; round++) {
                int n = 20000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) par.forRange(2, 1, (s, e) -> { for (int k = s; k < e; k++) x[k] += 1; });
                double back = (System.nanoTime() - t0) / 1e3 / n;
                // with serial work between loops (as between kernels): 20 us of spinning on the caller
                t0 = System.nanoTime();
                for (int i = 0; i < 2000; i++) {
                    long w = System.nanoTime() + 20_000; while (System.nanoTime() < w) Thread.onSpinWait();
                    par.forRange(2, 1, (s, e) -> { for (int k = s; k < e; k++) x[k] += 1; });
                }
                double gap = (System.nanoTime() - t0) / 1e3 / 2000 - 20;
                System.out.printf("back-to-back %.2f us per loop; after 20 us of serial work %.2f us per loop%n", back, gap);
            }
        }
    }
}
