package org.reaper.repr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reaper.backend.Backend;
import org.reaper.backend.TestBackends;
import org.reaper.backend.cuda.CudaBackend;
import org.reaper.backend.cuda.CudaEmulator;
import org.reaper.models.Model;
import org.reaper.models.Models;
import org.reaper.nn.InitScheme;
import org.reaper.nn.PrunableConv;
import org.reaper.optim.Sgd;
import org.reaper.rng.RandomStream;

/**
 * A whole RePr cycle of resnet20 (ortho scores, global selection, masks, optimizer state, null-space
 * re-init) on the CPU stand-in, counted by the driver: only a few bytes per filter come to the host
 * (scores for the selection and the kept filters' order, the re-init report) and no weight tensor goes
 * to the device (the largest single upload is a layer's mask or index list, smaller than any conv weight).
 */
class ReprCycleTransferTest {
    @Test
    void aCycleKeepsTheWeightsOnTheDevice() {
        Backend b = TestBackends.cuda();
        Assumptions.assumeTrue(b instanceof CudaBackend cb && cb.emulated(), "transfers are counted by the CPU stand-in only, which is not in use here");
        Model m = Models.create("resnet20", b, new RandomStream(3), 10, InitScheme.PYTORCH_DEFAULT);
        Sgd sgd = new Sgd(b, m.namedParameters(), 0.05f, 0.9f, 5e-4f);
        ReprOptions o = new ReprOptions();
        o.schedule = ReprOptions.Schedule.REPR;
        int filters = 0, maxFilters = 0, smallestWeight = Integer.MAX_VALUE;
        for (PrunableConv pc : m.prunableConvs()) {
            filters += pc.conv().outChannels();
            maxFilters = Math.max(maxFilters, pc.conv().outChannels());
            smallestWeight = Math.min(smallestWeight, pc.conv().weight().value().numel() * Float.BYTES);
        }
        b.synchronize();
        CudaEmulator.resetCounters();
        ReprCycle.Outcome out = ReprCycle.run(b, m, o, sgd, InitScheme.PYTORCH_DEFAULT, new RandomStream(9));
        b.synchronize();
        CudaEmulator.Counters c = CudaEmulator.readCounters();
        assertEquals(688, out.filters());
        assertTrue(out.dropped() > 100, "a 30% global drop of resnet20: " + out.dropped());
        // per filter: scores (4 B), kept-filter overlap scores (4 B), re-init report (24 B per re-initialised filter)
        assertTrue(c.bytesDeviceToHost() <= 40L * filters, c.bytesDeviceToHost() + " bytes device->host for " + filters + " filters");
        // per filter: keep and fill masks (8 B), the overlap mask (4 B), index lists (4 B)
        assertTrue(c.bytesHostToDevice() <= 20L * filters, c.bytesHostToDevice() + " bytes host->device for " + filters + " filters");
        assertTrue(c.largestHostToDevice() <= 4L * maxFilters && c.largestHostToDevice() < smallestWeight,
                "the largest upload (" + c.largestHostToDevice() + " bytes) is a mask or an index list, not a weight tensor (smallest: " + smallestWeight + ")");
        assertTrue(c.largestDeviceToHost() < smallestWeight, "the largest download (" + c.largestDeviceToHost() + " bytes) is not a weight tensor");
    }
}
