package org.reaper.data;

import org.reaper.ReaperException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Image files with their labels, decoded on each read: the {@link SourceImages} of the folder layouts. */
public final class ImageFiles implements SourceImages {
    private final List<Path> files;
    private final int[] labels;
    private final Path root;

    /** {@code root} only shortens names in messages. */
    public ImageFiles(List<Path> files, int[] labels, Path root) {
        if (files.size() != labels.length) throw new IllegalArgumentException(files.size() + " files, " + labels.length + " labels");
        this.files = List.copyOf(files);
        this.labels = labels.clone();
        this.root = root;
    }

    @Override public int size() { return files.size(); }
    @Override public RawImage read(int i) { return ImageDecoder.decode(files.get(i)); }
    @Override public String name(int i) { return root == null ? files.get(i).toString() : root.relativize(files.get(i)).toString(); }

    public Path file(int i) { return files.get(i); }
    public int label(int i) { return labels[i]; }
    public int[] labels() { return labels.clone(); }

    /** The files that decode, in order, after decoding every one on {@code threads} threads; {@code bad} gets the others' errors. */
    public ImageFiles withoutBad(int threads, List<String> bad) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "reaper-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> checks = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                int k = i;
                checks.add(pool.submit(() -> {
                    try {
                        read(k);
                        return null;
                    } catch (ReaperException e) {
                        return e.getMessage();
                    }
                }));
            }
            List<Path> keep = new ArrayList<>();
            List<Integer> keepLabels = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                String error = checks.get(i).get();
                if (error == null) {
                    keep.add(files.get(i));
                    keepLabels.add(labels[i]);
                } else {
                    bad.add(error);
                }
            }
            return new ImageFiles(keep, keepLabels.stream().mapToInt(Integer::intValue).toArray(), root);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReaperException("interrupted while checking images");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
