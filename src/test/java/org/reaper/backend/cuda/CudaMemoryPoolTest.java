package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The size classes of the device pool (pure arithmetic; the pool itself is exercised on a GPU by CudaParityTest). */
class CudaMemoryPoolTest {
    @Test
    void sizeClassesCoverTheRequestWithAtMostAQuarterWasted() {
        assertEquals(CudaMemoryPool.MIN_BLOCK, CudaMemoryPool.sizeClass(1));
        assertEquals(CudaMemoryPool.MIN_BLOCK, CudaMemoryPool.sizeClass(512));
        assertEquals(640, CudaMemoryPool.sizeClass(513));
        assertEquals(1024, CudaMemoryPool.sizeClass(1024));
        assertEquals(1L << 30, CudaMemoryPool.sizeClass(1L << 30));
        long previous = 0;
        for (long bytes = 1; bytes < (1L << 34); bytes = bytes * 3 / 2 + 7) {
            long c = CudaMemoryPool.sizeClass(bytes);
            assertTrue(c >= bytes, "class " + c + " < request " + bytes);
            assertTrue(bytes <= CudaMemoryPool.MIN_BLOCK || c <= bytes * 1.25 + 1, "class " + c + " wastes > 25% of " + bytes);
            assertTrue(c >= previous, "classes grow with the request");
            assertEquals(c, CudaMemoryPool.sizeClass(c), "a class is its own class");
            previous = c;
        }
    }
}
