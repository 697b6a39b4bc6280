package org.reaper.backend.cuda;

import jcuda.CudaException;
import org.reaper.ReaperException;
import org.reaper.backend.Backends;
import org.reaper.tensor.Shape;
import org.reaper.tensor.Tensor;
import org.reaper.tensor.TensorScope;

/**
 * Runs one faulting kernel on the stand-in in a process of its own (a kernel fault is sticky for
 * the context, as on a GPU, so it cannot share the test JVM's backend) and prints what happened:
 * "FAILED <message>" and then whether the next call still fails ("STICKY <message>"). A fault that
 * kills the process (a guard page) shows as the process's exit status.
 */
public final class EmulatorFaultMain {
    public static void main(String[] args) {
        String scenario = args[0];
        try (CudaBackend b = (CudaBackend) Backends.create("cuda-emulated", 1); TensorScope s = TensorScope.open();
             EmulatorKernels k = new EmulatorKernels(b)) {
            Tensor t = b.zeros(Shape.of(1024));   // 4 KiB: its end lies against the upper guard page
            try {
                switch (scenario) {
                    case "divergent-shuffle" -> k.launch("emu_divergent_shuffle", 1, 1, 32, 0, t);
                    case "exit-before-shuffle" -> k.launch("emu_exit_before_shuffle", 1, 1, 32, 0, t);
                    case "trap" -> k.launch("emu_trap", 1, 1, 32, 0, t);
                    case "write-below" -> k.launch("emu_write_at", 1, 1, 32, 0, b.zeros(Shape.of(1000)), -2, 1);
                    case "write-past-end" -> k.launch("emu_write_at", 1, 1, 32, 0, t, 1024, 1);
                    default -> throw new IllegalArgumentException(scenario);
                }
                System.out.println("OK");
            } catch (CudaException e) {
                System.out.println("FAILED " + CudaFailure.describe("launch", e));
            }
            try {
                b.toHost(t);
                System.out.println("NEXT-CALL-OK");
            } catch (ReaperException e) {
                System.out.println("STICKY " + e.getMessage());
            }
            try {
                b.empty(Shape.of(12_345));   // a size the pool has not cached: a real cuMemAlloc
                System.out.println("ALLOC-OK");
            } catch (ReaperException e) {
                System.out.println("ALLOC " + e.getMessage());
            }
            System.out.flush();
            Runtime.getRuntime().halt(0);   // closing a context whose kernel faulted would only fail again
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
