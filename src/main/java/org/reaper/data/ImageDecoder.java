package org.reaper.data;

import org.reaper.ReaperException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Decodes JPEG and PNG files to RGB bytes (CHW) through ImageIO, where the TwelveMonkeys plugin handles
 * the JPEGs real ImageNet holds (CMYK/YCCK, progressive, odd ICC profiles). Grayscale becomes three equal
 * planes; alpha is dropped. Any failure is a ReaperException naming the file.
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);   // decode in memory, never through temp files
        ImageIO.scanForPlugins();     // picks up TwelveMonkeys from the class path (also in the fat jar)
    }

    private ImageDecoder() {}

    public static RawImage decode(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ReaperException("cannot read image " + file + ": " + e);
        }
        return decode(bytes, file.toString());
    }

    /** {@code name} is only for messages. */
    public static RawImage decode(byte[] bytes, String name) {
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new ReaperException("cannot decode image " + name + ": not a JPEG or PNG file");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // a truncated or corrupt stream often only warns and returns grey pixels: treat that as bad (as PIL does)
                StringBuilder warnings = new StringBuilder();
                reader.addIIOReadWarningListener((source, warning) -> warnings.append(warnings.length() == 0 ? "" : "; ").append(warning));
                img = reader.read(0);
                if (isDamage(warnings.toString())) throw new ReaperException("cannot decode image " + name + ": " + warnings);
                if (isJpeg(bytes) && !endsWithEoi(bytes))
                    throw new ReaperException("cannot decode image " + name + ": the JPEG is truncated (no end-of-image marker)");
            } finally {
                reader.dispose();
            }
        } catch (ReaperException e) {
            throw e;
        } catch (Exception | LinkageError e) {   // truncated streams surface as IOException, IndexOutOfBounds, ...
            throw new ReaperException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0)
            throw new ReaperException("cannot decode image " + name + ": empty image");
        return toRgb(img);
    }

    /** Warnings that mean missing or damaged data (not, say, a CMYK file without an ICC profile). */
    private static boolean isDamage(String warnings) {
        String w = warnings.toLowerCase(java.util.Locale.ROOT);
        return w.contains("premature") || w.contains("truncat") || w.contains("corrupt");
    }

    private static boolean isJpeg(byte[] b) { return b.length > 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8; }

    /** FF D9 among the last bytes (some writers pad after it). */
    private static boolean endsWithEoi(byte[] b) {
        for (int i = b.length - 2; i >= Math.max(0, b.length - 64); i--)
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) return true;
        return false;
    }

    private static RawImage toRgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        byte[] out = new byte[3 * plane];
        if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // getRGB would treat the samples as linear light and brighten them; PIL and torchvision copy them as they are
            Raster r = img.getRaster();
            int shift = Math.max(0, img.getColorModel().getComponentSize(0) - 8);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    byte v = (byte) (r.getSample(x, y, 0) >> shift);
                    int p = y * w + x;
                    out[p] = v;
                    out[plane + p] = v;
                    out[2 * plane + p] = v;
                }
            return new RawImage(3, h, w, out);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);   // converts any colour model to sRGB ARGB
            for (int x = 0; x < w; x++) {
                int p = y * w + x, argb = row[x];
                out[p] = (byte) (argb >> 16);
                out[plane + p] = (byte) (argb >> 8);
                out[2 * plane + p] = (byte) argb;
            }
        }
        return new RawImage(3, h, w, out);
    }
}
