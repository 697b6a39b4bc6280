package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.cli.Cli.assertOneLineError;
import static org.reaper.cli.Cli.run;
import static org.reaper.cli.Cli.snapshot;
import static org.reaper.cli.Cli.tinyTrain;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.io.HostTensor;
import org.reaper.io.Safetensors;
import org.reaper.train.Checkpoints;
import org.reaper.train.Json;

/** A damaged checkpoint is reported as corrupt before anything is touched; rank ranks model parameters only (issue 10). */
class CheckpointIntegrityTest {
    @TempDir Path tmp;

    @Test void damagedCheckpointIsReportedAndNothingIsRewritten() throws Exception {
        Path r = tmp.resolve("run");
        assertEquals(0, run(tinyTrain(r, "--epochs", "3", "--stop-after-epoch", "1")).code());
        Path ck = r.resolve(Checkpoints.FILE);
        try (RandomAccessFile f = new RandomAccessFile(ck.toFile(), "rw")) {
            f.seek(f.length() - 400);                  // inside the tensor data, past the header
            f.write(new byte[100]);
        }
        Map<String, String> before = snapshot(r);
        assertOneLineError(run("train", "--resume", r.toString()), "is corrupt", "checkpoint.safetensors");
        assertOneLineError(run("eval", "--checkpoint", r.toString()), "is corrupt");
        assertOneLineError(run("rank", "--weights", ck.toString()), "is corrupt");
        assertEquals(before, snapshot(r), "config.json and the metrics are untouched");
    }

    @Test void rankRanksModelParametersNotOptimizerState() throws Exception {
        Path r = tmp.resolve("run");
        assertEquals(0, run(tinyTrain(r)).code());
        Cli.Result ranked = run("rank", "--weights", r.resolve(Checkpoints.FILE).toString(), "--json");
        assertEquals(0, ranked.code(), ranked.err());
        Map<String, Object> doc = Json.parseMap(ranked.out().strip(), "rank output");
        List<String> layers = ((List<?>) doc.get("layers")).stream().map(l -> (String) ((Map<?, ?>) l).get("name")).toList();
        assertEquals(List.of("features.0.weight", "features.3.weight"), layers, "the two conv layers of c2-8-pool, no optim.* buffers");
        assertEquals(16, ((Number) doc.get("total_filters")).intValue());

        Path onlyOptim = tmp.resolve("optim.safetensors");
        Safetensors.write(onlyOptim, Map.of("optim.features.0.weight.momentum_buffer", new HostTensor("F32", new int[] {2, 1, 1, 1}, new float[2])), Map.of());
        assertOneLineError(run("rank", "--weights", onlyOptim.toString()), "no conv weights");
        assertTrue(Files.exists(onlyOptim));
    }
}
