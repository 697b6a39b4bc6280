package org.reaper.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reaper.ReaperException;

/**
 * Decoding: PNG exact; JPEG (progressive, and Adobe CMYK without an ICC profile, both written by PIL: see
 * benchmarks/image_fixtures.py) within a stated tolerance of PIL's decoding; grayscale to three equal planes; truncated and non-image files reported by name.
 */
class ImageDecoderTest {
    /**
     * JPEG decoders differ in IDCT and chroma upsampling, so a JPEG is compared with PIL's decoding of the same file
     * (what torchvision would train on): mean |difference| per channel value at most 1, none above 16.
     */
    static final double JPEG_MEAN_TOLERANCE = 1.0;
    static final int JPEG_MAX_TOLERANCE = 16;

    static byte[] resource(String name) throws Exception {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    static double meanAbs(RawImage a, RawImage b) {
        assertEquals(a.height(), b.height());
        assertEquals(a.width(), b.width());
        long s = 0;
        for (int i = 0; i < a.pixels().length; i++) s += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        return (double) s / a.pixels().length;
    }

    @Test void pngDecodesExactly(@TempDir Path dir) throws Exception {
        BufferedImage img = TestImages.image(3, 37, 29);
        Path f = TestImages.write(img, dir.resolve("a.png"));
        RawImage raw = ImageDecoder.decode(f);
        assertArrayEquals(TestImages.raw(img).pixels(), raw.pixels());
        assertEquals(37, raw.height());
        assertEquals(29, raw.width());
    }

    @Test void progressiveAndCmykJpegsMatchPil() throws Exception {
        for (String name : new String[] {"progressive", "cmyk"}) {
            RawImage pil = ImageDecoder.decode(resource("pil_" + name + ".png"), name);
            RawImage ours = ImageDecoder.decode(resource(name + ".jpg"), name);
            double mean = meanAbs(pil, ours);
            int max = ResizedCropTest.maxAbs(pil, ours);
            assertTrue(mean <= JPEG_MEAN_TOLERANCE && max <= JPEG_MAX_TOLERANCE, name + ".jpg vs PIL: mean " + mean + ", max " + max);
        }
        // the CMYK file (no chroma subsampling) also stays close to the RGB original it was converted from
        assertTrue(meanAbs(ImageDecoder.decode(resource("ref.png"), "ref"), ImageDecoder.decode(resource("cmyk.jpg"), "cmyk")) < 2);
    }

    @Test void grayscalePngBecomesThreeEqualPlanes(@TempDir Path dir) throws Exception {
        BufferedImage gray = new BufferedImage(9, 7, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 7; y++) for (int x = 0; x < 9; x++) gray.getRaster().setSample(x, y, 0, (x * 29 + y * 7) % 256);
        RawImage raw = ImageDecoder.decode(TestImages.write(gray, dir.resolve("g.png")));
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 9; x++)
                for (int c = 0; c < 3; c++) assertEquals((x * 29 + y * 7) % 256, raw.at(c, y, x));
    }

    @Test void badFilesAreNamed(@TempDir Path dir) throws Exception {
        Path jpg = TestImages.write(TestImages.image(5, 64, 64), dir.resolve("cut.jpg"));
        Path png = TestImages.write(TestImages.image(6, 64, 64), dir.resolve("cut.png"));
        TestImages.truncate(jpg, (int) Files.size(jpg) / 2);
        TestImages.truncate(png, (int) Files.size(png) / 2);
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        for (Path f : new Path[] {jpg, png, text}) {
            ReaperException e = assertThrows(ReaperException.class, () -> ImageDecoder.decode(f));
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }
}
