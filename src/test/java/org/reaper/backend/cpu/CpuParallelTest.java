package org.reaper.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The spin-then-park parallel-for: coverage, work moving off a slow thread, failures, nesting, callers on several threads, idle workers and close. */
class CpuParallelTest {
    @Test void everyIndexRunsExactlyOnceForManyLoopsAndSizes() {
        try (CpuParallel par = new CpuParallel(3)) {
            for (int loop = 0; loop < 2000; loop++) {
                int n = 1 + loop % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                par.forRange(n, 1 + loop % 5, (s, e) -> { for (int i = s; i < e; i++) hits.incrementAndGet(i); });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "loop " + loop + " index " + i);
            }
        }
    }

    @Test void aThreadThatRunsOutTakesPiecesOfASlowThreadsChunk() {
        try (CpuParallel par = new CpuParallel(2)) {
            int n = 64;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            AtomicIntegerArray onCaller = new AtomicIntegerArray(n);
            Thread caller = Thread.currentThread();
            // the worker's indices take 2 ms each, the caller's nothing: the caller must finish most of the worker's chunk
            par.forRange(n, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    if (Thread.currentThread() == caller) onCaller.set(i, 1);
                    else try { Thread.sleep(2); } catch (InterruptedException x) { Thread.currentThread().interrupt(); }
                    hits.incrementAndGet(i);
                }
            });
            int callerDid = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "index " + i);
                callerDid += onCaller.get(i);
            }
            assertTrue(callerDid > n / 2 + n / 8, "the caller ran only " + callerDid + " of " + n + " indices");
            assertTrue(par.stolenPieces() > 0, "no piece moved");
            // the owner works from the front of its chunk, the thief from the back: what the worker ran is a prefix of its chunk
            int k = n / 2;
            while (k < n && onCaller.get(k) == 0) k++;
            for (int i = k; i < n; i++) assertEquals(1, onCaller.get(i), "index " + i + " ran on the worker after the caller took " + k);
        }
    }

    @Test void aFailureInAnyChunkReachesTheCallerAfterEveryChunkFinished() {
        try (CpuParallel par = new CpuParallel(2)) {
            AtomicIntegerArray done = new AtomicIntegerArray(2);
            IllegalStateException thrown = new IllegalStateException("chunk failed");
            // index 1 (the worker's chunk, or the caller's once it takes that over) fails; index 0 still runs
            IllegalStateException got = assertThrows(IllegalStateException.class, () -> par.forRange(2, 1, (s, e) -> {
                if (s == 1) throw thrown;
                done.incrementAndGet(s);
            }));
            assertSame(thrown, got);
            assertEquals(1, done.get(0));
            // and the pool still works afterwards
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            par.forRange(10, 1, (s, e) -> { for (int i = s; i < e; i++) hits.incrementAndGet(i); });
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test void aLoopStartedInsideAChunkRunsInlineOnThatThread() {
        try (CpuParallel par = new CpuParallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(40);
            ConcurrentHashMap<String, Boolean> sameThread = new ConcurrentHashMap<>();
            par.forRange(4, 1, (s, e) -> {
                Thread outer = Thread.currentThread();
                for (int c = s; c < e; c++) {
                    int base = c * 10;
                    par.forRange(10, 1, (s2, e2) -> {
                        sameThread.put(outer.getName() + base, Thread.currentThread() == outer);
                        for (int i = s2; i < e2; i++) hits.incrementAndGet(base + i);
                    });
                }
            });
            for (int i = 0; i < 40; i++) assertEquals(1, hits.get(i), "index " + i);
            assertFalse(sameThread.containsValue(false), "a nested loop left its thread: " + sameThread);
        }
    }

    @Test void callersOnSeveralThreadsTakeTurns() throws InterruptedException {
        try (CpuParallel par = new CpuParallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(4 * 500);
            Thread[] callers = new Thread[4];
            for (int t = 0; t < callers.length; t++) {
                int base = t * 500;
                callers[t] = new Thread(() -> {
                    for (int k = 0; k < 50; k++) par.forRange(500, 1, (s, e) -> { for (int i = s; i < e; i++) hits.incrementAndGet(base + i); });
                });
                callers[t].start();
            }
            for (Thread c : callers) c.join(60_000);
            for (int i = 0; i < hits.length(); i++) assertEquals(50, hits.get(i), "index " + i);
        }
    }

    @Test void workersParkWhenIdleAndStopOnClose() throws InterruptedException {
        CpuParallel par = new CpuParallel(3);
        par.forRange(3, 1, (s, e) -> { });
        java.util.List<Thread> workers = par.workerThreads();
        assertEquals(2, workers.size());
        long deadline = System.nanoTime() + 5_000_000_000L;   // far past the spin, the workers must be parked, not burning a core
        while (System.nanoTime() < deadline && !workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) Thread.sleep(10);
        for (Thread t : workers) assertEquals(Thread.State.WAITING, t.getState(), t + " idle but not parked");
        par.close();
        for (Thread t : workers) assertFalse(t.isAlive(), t + " still alive after close");
        assertThrows(IllegalStateException.class, () -> par.forRange(3, 1, (s, e) -> { }));
    }
}
