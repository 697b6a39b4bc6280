package org.reaper.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Transform geometry against torchvision's definitions, and resampling against PIL's own output (within 1). */
class ResizedCropTest {
    @Test void randomResizedCropStaysInTorchvisionsRanges() {
        Set<String> boxes = new HashSet<>();
        int flips = 0;
        for (int pos = 0; pos < 2000; pos++) {
            ResizedCrop.Draw d = ResizedCrop.random(375, 500, 77, pos, true);
            CropBox b = d.box();
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= 375 && b.left() + b.width() <= 500, b.toString());
            double area = (double) b.height() * b.width() / (375 * 500), ratio = (double) b.width() / b.height();
            // rounding w and h to whole pixels moves area and ratio slightly past the drawn range
            assertTrue(area > 0.08 * 0.98 && area <= 1.0, "area " + area);
            assertTrue(ratio > 0.75 * 0.98 && ratio < 4.0 / 3 * 1.02, "ratio " + ratio);
            assertEquals(d, ResizedCrop.random(375, 500, 77, pos, true), "same (seed, position), same draw");
            boxes.add(b.toString());
            if (d.flip()) flips++;
        }
        assertTrue(boxes.size() > 1900, "draws differ between positions");
        assertTrue(flips > 900 && flips < 1100, "flip probability 1/2: " + flips);
    }

    @Test void fallbackIsTheCentredCropWithTheRatioClamped() {
        // a 1x100 strip: no draw can fit, torchvision falls back to the whole width at ratio 4/3
        assertEquals(new CropBox(0, 49, 1, 1), ResizedCrop.centralFallback(1, 100));
        assertEquals(new CropBox(100, 0, 400, 300), ResizedCrop.centralFallback(600, 300));
        assertEquals(new CropBox(0, 0, 300, 300), ResizedCrop.centralFallback(300, 300));
        assertEquals(new CropBox(0, 100, 300, 400), ResizedCrop.centralFallback(300, 600));
    }

    @Test void evaluationResizesTheShorterSideThenCutsTheCentre() {
        assertEquals(256, ResizedCrop.evalShortSide(224));
        assertEquals(73, ResizedCrop.evalShortSide(64));
        int[] hw = ResizedCrop.resizedShape(375, 500, 256);
        assertEquals(256, hw[0]);
        assertEquals(341, hw[1]);                       // int(256 * 500 / 375)
        assertEquals(new CropBox(16, 58, 224, 224), ResizedCrop.center(256, 341, 224));   // round(58.5) = 58 as in Python
        RawImage img = new RawImage(3, 375, 500, new byte[3 * 375 * 500]);
        RawImage v = ResizedCrop.evalView(img, 224);
        assertEquals(224, v.height());
        assertEquals(224, v.width());
    }

    @Test void resampleMatchesPil() throws Exception {
        RawImage ref = ImageDecoder.decode(ImageDecoderTest.resource("ref.png"), "ref.png");
        RawImage pilShrunk = ImageDecoder.decode(ImageDecoderTest.resource("shrunk_box_3_2_33x25_to_17x13.png"), "shrunk");
        RawImage pilEnlarged = ImageDecoder.decode(ImageDecoderTest.resource("enlarged_to_57x44.png"), "enlarged");
        assertTrue(maxAbs(pilShrunk, Resample.resize(ref, new CropBox(2, 3, 25, 33), 13, 17)) <= 1);
        assertTrue(maxAbs(pilEnlarged, Resample.resize(ref, CropBox.whole(ref), 44, 57)) <= 1);
    }

    @Test void mirrorAndCropAreExact() {
        byte[] px = new byte[3 * 2 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) i;
        RawImage img = new RawImage(3, 2, 3, px);
        RawImage m = Resample.mirror(img);
        assertEquals(img.at(1, 1, 0), m.at(1, 1, 2));
        RawImage c = Resample.crop(img, new CropBox(1, 1, 1, 2));
        assertEquals(img.at(2, 1, 1), c.at(2, 0, 0));
    }

    static int maxAbs(RawImage a, RawImage b) {
        assertEquals(a.height(), b.height());
        assertEquals(a.width(), b.width());
        int m = 0;
        for (int i = 0; i < a.pixels().length; i++) m = Math.max(m, Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF)));
        return m;
    }
}
