import java.nio.file.Path;
import java.util.Iterator;
import org.reaper.data.Augmentation;
import org.reaper.data.Batch;
import org.reaper.data.BatchLoader;
import org.reaper.data.ImageDataset;
import org.reaper.data.Normalization;
import org.reaper.train.ImageData;

/**
 * Images/s the loader serves (decode or cache read + RandomResizedCrop + flip + normalise) from an image folder or
 * a decoded cache, for each worker count given. Compare with `reaper bench`/train images/s of the model: the
 * loader is never what the step waits for when its rate is above the model's.
 *
 *   java --add-modules jdk.incubator.vector -cp target/reaper.jar benchmarks/LoaderThroughput.java DIR SIZE EPOCHS WORKERS...
 */
public class LoaderThroughput {
    public static void main(String[] a) {
        Path dir = Path.of(a[0]).toAbsolutePath();
        int size = Integer.parseInt(a[1]), epochs = Integer.parseInt(a[2]);
        String kind = ImageData.detect(dir);
        for (int k = 3; k < a.length; k++) {
            int workers = Integer.parseInt(a[k]);
            ImageDataset train = ImageData.load(dir, kind, size, false, workers).train();
            try (BatchLoader l = new BatchLoader(train, 64, true, false, Augmentation.imagenet(), Normalization.imagenet(), 1)) {
                long t0 = System.nanoTime(), n = 0;
                for (int e = 0; e < epochs; e++) {
                    Iterator<Batch> it = l.epoch(e);
                    while (it.hasNext()) n += it.next().size();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s %s, %d px, %d workers: %,d images in %.2f s = %.0f images/s%n", kind, dir.getFileName(), size, workers, n, s, n / s);
            }
        }
    }
}
