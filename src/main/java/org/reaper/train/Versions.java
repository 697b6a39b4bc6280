package org.reaper.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reaper's version (jar manifest or Maven properties) and the runtime's, for --version, config.json and checkpoints. */
public final class Versions {
    private Versions() {}

    public static String reaper() {
        String v = Versions.class.getPackage().getImplementationVersion();
        if (v != null) return v;
        try (var in = Versions.class.getResourceAsStream("/META-INF/maven/org.reaper/reaper/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                if (p.getProperty("version") != null) return p.getProperty("version");
            }
        } catch (java.io.IOException ignored) {
            // fall through to the development label
        }
        return "0.1.0-dev";
    }

    public static String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name") + ")";
    }

    public static boolean vectorApiLoaded() { return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(); }

    /** The environment block of config.json. */
    public static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reaper", reaper());
        m.put("java", java());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("vector_api", vectorApiLoaded());
        return m;
    }
}
