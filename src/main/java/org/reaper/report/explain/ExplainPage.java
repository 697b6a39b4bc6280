package org.reaper.report.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.reaper.ReaperException;

/**
 * Fills the page template (resources report/explain/: page.html, page.css, page.js) with a lesson's numbers as one
 * JSON block, so the file is self-contained: no network, no CDN, images as data URIs.
 */
public final class ExplainPage {
    /** The size the page of a c3-32-pool run stays under (tested); bigger models grow with their filter count. */
    public static final long C3_32_POOL_MAX_BYTES = 1_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplainPage() {}

    public static String html(Map<String, Object> lesson) {
        String data;
        try {
            data = JSON.writeValueAsString(lesson).replace("</", "<\\/");   // no "</script>" inside the data block
        } catch (JsonProcessingException e) {
            throw new ReaperException("cannot encode the page's data: " + e.getMessage(), e);
        }
        return resource("page.html")
                .replace("/*{{CSS}}*/", resource("page.css"))
                .replace("/*{{JS}}*/", resource("page.js"))
                .replace("{{TITLE}}", "RePr, explained on " + escape(String.valueOf(lesson.get("run"))))
                .replace("{{DATA}}", data);
    }

    private static String resource(String name) {
        try (InputStream in = ExplainPage.class.getResourceAsStream("/report/explain/" + name)) {
            if (in == null) throw new ReaperException("the page template " + name + " is missing from the jar; rebuild Reaper");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReaperException("cannot read the page template " + name + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
