package org.reaper.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;

/** Small real images for the image-dataset tests: CIFAR sample images written as PNG/JPEG at various sizes. */
public final class TestImages {
    private static ImageDataset cifar;

    private TestImages() {}

    public static synchronized ImageDataset cifar() {
        if (cifar == null) cifar = Cifar.cifar10(Paths.get("datasets", "cifar-10-sample"), false);
        return cifar;
    }

    /** CIFAR test image {@code i} (32x32) enlarged by nearest neighbour to {@code h x w}, as RGB. */
    public static BufferedImage image(int i, int h, int w) {
        byte[] px = new byte[Cifar.IMAGE_BYTES];
        cifar().copyImage(i, px, 0);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int p = (y * 32 / h) * 32 + x * 32 / w;
                img.setRGB(x, y, (px[p] & 0xFF) << 16 | (px[1024 + p] & 0xFF) << 8 | (px[2048 + p] & 0xFF));
            }
        return img;
    }

    public static Path write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String n = file.getFileName().toString();
        if (!ImageIO.write(img, n.endsWith(".png") ? "png" : "jpeg", file.toFile())) throw new IOException("no writer for " + n);
        return file;
    }

    /** RawImage (CHW) of a BufferedImage, for exact comparisons. */
    public static RawImage raw(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        byte[] out = new byte[3 * plane];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y), p = y * w + x;
                out[p] = (byte) (rgb >> 16);
                out[plane + p] = (byte) (rgb >> 8);
                out[2 * plane + p] = (byte) rgb;
            }
        return new RawImage(3, h, w, out);
    }

    /**
     * An image folder: train/{cat,dog,ship}/ with {@code perClass} images each (mixed PNG/JPEG, sizes from
     * 24x40 to 56x36) and val/{cat,dog,ship}/ with 2 each. Labels follow the CIFAR label of the source image.
     */
    public static Path imageFolder(Path root, int perClass) throws IOException {
        String[] classes = {"cat", "dog", "ship"};
        int[] sizes = {24, 40, 56, 36, 32, 48};
        int next = 0;
        for (String split : new String[] {"train", "val"}) {
            int n = split.equals("train") ? perClass : 2;
            for (String cls : classes)
                for (int k = 0; k < n; k++, next++) {
                    int h = sizes[next % sizes.length], w = sizes[(next + 1) % sizes.length];
                    String ext = next % 2 == 0 ? ".png" : ".jpg";
                    write(image(next, h, w), root.resolve(split).resolve(cls).resolve(String.format("img_%03d%s", next, ext)));
                }
        }
        return root;
    }

    /** The first {@code keep} bytes of {@code file} only (a truncated download). */
    public static void truncate(Path file, int keep) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, Math.min(keep, b.length)));
    }
}
