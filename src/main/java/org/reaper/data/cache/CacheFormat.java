package org.reaper.data.cache;

import java.nio.file.Path;

/**
 * A decoded cache: per split, {@code SPLIT.pixels} (uint8 CHW images back to back), {@code SPLIT.index}
 * (one {@value #RECORD}-byte little-endian record per image: long offset, int height, int width, int label,
 * int source index) and {@code SPLIT.bad} (images that did not decode: source index, tab, message);
 * {@code cache.json} describes it and says {@code "complete": true} once every split is written.
 */
final class CacheFormat {
    static final String META = "cache.json", FORMAT = "reaper-decoded-cache";
    static final int VERSION = 1, RECORD = 24;

    private CacheFormat() {}

    static Path pixels(Path dir, String split) { return dir.resolve(split + ".pixels"); }
    static Path index(Path dir, String split) { return dir.resolve(split + ".index"); }
    static Path bad(Path dir, String split) { return dir.resolve(split + ".bad"); }
}
