package org.reaper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reaper.cli.Cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explain page in a real browser: Debian's headless Chromium (installed by .ci/run; skipped with the reason when
 * absent) loads it from disk with the network off, runs its scripts without a console error, renders every section
 * (DOM checks, the slider and a Gram hover), within a second; a screenshot of the top goes to the build folder.
 */
class ExplainBrowserTest {
    @TempDir Path tmp;

    @Test void pageRendersOfflineWithoutErrors() throws Exception {
        String browser = HeadlessChromium.find();
        if (browser == null) System.out.println("ExplainBrowserTest skipped: no chromium on the PATH (apt-get install chromium)");
        Assumptions.assumeTrue(browser != null, "no chromium on the PATH (apt-get install chromium)");
        Path runDir = tmp.resolve("repr"), page = tmp.resolve("lesson.html");
        assertEquals(0, run(Cli.tinyTrain(runDir, "--model", "c3-32-pool", "--epochs", "3", "--schedule", "repr", "--s1", "1", "--s2", "1",
                "--cycles", "1")).code());
        assertEquals(0, run("explain", "--run", runDir.toString(), "--out", page.toString(), "--threads", "1").code());
        JsonNode data = ExplainCommandTest.data(page);
        int filters = 0;
        for (JsonNode l : data.get("layers")) filters += l.get("filters").asInt();

        try (HeadlessChromium c = new HeadlessChromium(browser, Files.createDirectories(tmp.resolve("profile")))) {
            for (String domain : List.of("Runtime.enable", "Log.enable", "Network.enable", "Page.enable")) c.send(domain, Map.of());
            c.send("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
            long t0 = System.nanoTime();
            c.send("Page.navigate", Map.of("url", page.toUri().toString()));
            c.await("Page.loadEventFired", Duration.ofSeconds(20));
            double loadMs = (System.nanoTime() - t0) / 1e6;
            double renderedMs = c.eval("+document.body.getAttribute('data-rendered-ms')").asDouble();
            System.out.printf("explain page: %d bytes, load event after %.0f ms, scripts done at %.0f ms%n", Files.size(page), loadMs, renderedMs);
            assertTrue(renderedMs < 1000, "the page renders within a second (took " + renderedMs + " ms)");

            for (int s = 1; s <= 7; s++) assertEquals("yes", c.eval("document.getElementById('s" + s + "').getAttribute('data-rendered')").asText(), "section " + s);
            assertEquals(filters, c.eval("document.querySelectorAll('#s1 img.tile').length").asInt(), "a tile per filter");
            assertEquals(data.get("layers").size(), c.eval("document.querySelectorAll('#s2 canvas.heat').length").asInt(), "a Gram matrix per layer");
            assertEquals(filters, c.eval("document.querySelectorAll('#ranking rect').length").asInt(), "a bar per filter");
            int dropped = 0;
            for (JsonNode l : data.get("layers")) dropped += l.get("dropped").size();
            assertEquals(dropped, c.eval("document.querySelectorAll('#s4 img.tile.dropped').length").asInt(), "dropped filters greyed");
            assertEquals(data.get("reinit").size(), c.eval("document.querySelectorAll('#s5 canvas.heat').length").asInt(), "a |cos| map per re-initialised layer");
            assertTrue(c.eval("document.querySelectorAll('#s6 img.plot').length").asInt() >= 2, "the run's plots");
            assertTrue(c.eval("document.querySelector('#s7 pre').textContent").asText().contains("reaper.jar rank --weights"));
            assertTrue(c.eval("document.getElementById('p-counts').textContent").asText().startsWith(dropped + " of " + filters));
            // the slider shows the engine's selection at another p
            String at10 = data.get("sweep").get(10).asText();
            long want10 = at10.chars().filter(ch -> ch == '1').count();
            String counts = c.eval("(function(){var s=document.getElementById('p-slider'); s.value=10; s.dispatchEvent(new Event('input'));"
                    + " return document.getElementById('p-counts').textContent;})()").asText();
            assertTrue(counts.startsWith(want10 + " of " + filters), counts);
            // hovering a Gram cell names the two filters and their cosine
            String tip = c.eval("(function(){var g=document.querySelector('#s2 canvas.heat'), r=g.getBoundingClientRect();"
                    + " g.dispatchEvent(new MouseEvent('mousemove',{clientX:r.left+r.width-2,clientY:r.top+1,bubbles:true}));"
                    + " var t=document.getElementById('tip'); return t.hidden ? '' : t.textContent;})()").asText();
            assertTrue(tip.matches("(?s).*filters 0 and \\d+: cos = -?\\d.*"), tip);

            List<String> problems = c.events.stream().map(Problems::describe).filter(p -> p != null).toList();
            assertTrue(problems.isEmpty(), "console errors or network requests: " + problems);

            JsonNode shot = c.send("Page.captureScreenshot", Map.of("format", "png",
                    "clip", Map.of("x", 0, "y", 0, "width", 1200, "height", 1600, "scale", 1), "captureBeyondViewport", true));
            Path out = buildDir().resolve("explain-screenshot.png");
            Files.write(out, Base64.getDecoder().decode(shot.get("data").asText()));
            System.out.println("screenshot of the page's top: " + out);
        }
    }

    /** The build folder (target/ or -Dbuild.dir), the parent of test-classes. */
    static Path buildDir() throws Exception {
        return Path.of(ExplainBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    /** What in the browser's event stream counts as a failure: console errors, exceptions, requests leaving the disk. */
    static final class Problems {
        static String describe(JsonNode e) {
            String m = e.path("method").asText();
            JsonNode p = e.path("params");
            return switch (m) {
                case "Runtime.exceptionThrown" -> "exception: " + p.path("exceptionDetails");
                case "Runtime.consoleAPICalled" -> List.of("error", "warning", "assert").contains(p.path("type").asText()) ? "console " + p : null;
                case "Log.entryAdded" -> "error".equals(p.path("entry").path("level").asText()) ? "log " + p.path("entry") : null;
                case "Network.requestWillBeSent" -> {
                    String url = p.path("request").path("url").asText();
                    yield url.startsWith("file:") || url.startsWith("data:") || url.equals("about:blank") ? null : "request " + url;
                }
                case "parse-error" -> e.toString();
                default -> null;
            };
        }
    }
}
