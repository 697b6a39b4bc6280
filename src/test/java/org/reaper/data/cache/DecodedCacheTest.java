package org.reaper.data.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;
import org.reaper.data.ImageFiles;
import org.reaper.data.ImageFolder;
import org.reaper.data.RawImage;
import org.reaper.data.TestImages;

/** The decoded cache holds what decoding gives (shrunk), skips bad images, resumes to the same bytes, refuses foreign folders. */
class DecodedCacheTest {
    static List<DecodedCache.SplitReport> prepare(Path src, Path out, int size) {
        ImageFolder.Split train = ImageFolder.train(src);
        Map<String, ImageFiles> splits = new java.util.LinkedHashMap<>();
        splits.put("train", train.files());
        splits.put("val", ImageFolder.val(src, train.classes()).files());
        return DecodedCache.prepare(src, "imagefolder", train.classes(), splits, size, out, 2, line -> {});
    }

    @Test void imagesAreTheDecodedOnesShrunk(@TempDir Path dir) throws Exception {
        Path src = TestImages.imageFolder(dir.resolve("src"), 3), out = dir.resolve("cache");
        Path bad = ImageFolder.images(src.resolve("train/cat")).get(2);
        TestImages.truncate(bad, 60);
        List<DecodedCache.SplitReport> r = prepare(src, out, 30);
        assertEquals(8, r.get(0).written());
        assertEquals(1, r.get(0).bad());
        assertTrue(Files.readString(out.resolve("train.bad")).contains(bad.getFileName().toString()));
        CachedImages cached = CachedImages.open(out, "train");
        ImageFiles files = ImageFolder.train(src).files();
        for (int i = 0, k = 0; i < files.size(); i++) {
            if (files.file(i).equals(bad)) continue;
            RawImage want = CacheWriter.shrink(files.read(i), 30), got = cached.read(k);
            assertArrayEquals(want.pixels(), got.pixels(), files.name(i));
            assertEquals(Math.min(30, Math.min(files.read(i).height(), files.read(i).width())), Math.min(got.height(), got.width()));
            assertEquals(files.label(i), cached.labels()[k++]);
        }
    }

    @Test void anInterruptedPrepareResumesToTheSameFiles(@TempDir Path dir) throws Exception {
        Path src = TestImages.imageFolder(dir.resolve("src"), 4), whole = dir.resolve("whole"), cut = dir.resolve("cut");
        prepare(src, whole, 28);
        prepare(src, cut, 28);
        // as if killed mid-write: half a record in the index, pixels past the last whole record, not complete
        try (FileChannel ic = FileChannel.open(cut.resolve("train.index"), StandardOpenOption.WRITE)) { ic.truncate(5L * CacheFormat.RECORD + 7); }
        try (FileChannel pc = FileChannel.open(cut.resolve("val.pixels"), StandardOpenOption.WRITE)) { pc.truncate(0); }
        Files.delete(cut.resolve("val.index"));
        CacheMeta m = CacheMeta.read(cut);
        new CacheMeta(m.format(), m.version(), m.source(), m.layout(), m.size(), m.classes(), m.images(), false).write(cut);
        assertThrows(ReaperException.class, () -> CachedImages.open(cut, "train"), "an unfinished cache is refused");
        List<DecodedCache.SplitReport> r = prepare(src, cut, 28);
        assertEquals(5, r.get(0).resumedFrom());
        for (String f : List.of("train.index", "train.pixels", "val.index", "val.pixels"))
            assertArrayEquals(Files.readAllBytes(whole.resolve(f)), Files.readAllBytes(cut.resolve(f)), f);
    }

    @Test void refusesAnotherCacheOrAFolderOfOtherFiles(@TempDir Path dir) throws Exception {
        Path src = TestImages.imageFolder(dir.resolve("src"), 1), out = dir.resolve("cache");
        prepare(src, out, 28);
        ReaperException size = assertThrows(ReaperException.class, () -> prepare(src, out, 40));
        assertTrue(size.getMessage().contains("size 28"), size.getMessage());
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("keep.txt"), "mine");
        assertThrows(ReaperException.class, () -> prepare(src, other, 28));
        assertEquals(List.of(other.resolve("keep.txt")), new ArrayList<>(Files.list(other).toList()));
    }
}
