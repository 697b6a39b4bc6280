package org.reaper.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reaper.ReaperException;

/** The stand-in's settings are checked before it loads: a value it cannot use is one line naming it and the fix. */
class CudaEmulatorEnvironmentTest {
    @Test
    void goodSettingsPass() {
        assertDoesNotThrow(() -> CudaEmulator.checkEnvironment(Map.of("REAPER_EMU_MEMORY", "8G", "REAPER_EMU_THREADS", "2", "REAPER_EMU_SCHEDULE", "0x5eed")));
        assertDoesNotThrow(() -> CudaEmulator.checkEnvironment(Map.of("REAPER_EMU_MEMORY", "512MiB", "REAPER_EMU_SCHEDULE", "0")));
        assertDoesNotThrow(() -> CudaEmulator.checkEnvironment(Map.of()));
    }

    @Test
    void badSettingsAreNamed() {
        for (Map<String, String> env : new Map[] {Map.of("REAPER_EMU_MEMORY", "lots"), Map.of("REAPER_EMU_MEMORY", "-1G"),
                Map.of("REAPER_EMU_THREADS", "0"), Map.of("REAPER_EMU_THREADS", "two"), Map.of("REAPER_EMU_SCHEDULE", "random")}) {
            ReaperException e = assertThrows(ReaperException.class, () -> CudaEmulator.checkEnvironment(env));
            String key = env.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(key + "='" + env.get(key) + "' is not"), e.getMessage());
            assertTrue(e.getMessage().contains("use "), e.getMessage());
        }
    }
}
