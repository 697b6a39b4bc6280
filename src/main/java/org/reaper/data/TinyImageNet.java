package org.reaper.data;

import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tiny-ImageNet-200's layout: {@code wnids.txt}, {@code train/<wnid>/images/*.JPEG},
 * {@code val/images/*.JPEG} labelled by {@code val/val_annotations.txt}. Classes are the wnids sorted (as
 * an ImageFolder of train/ would number them); the unlabelled test/ folder is not used.
 */
public final class TinyImageNet {
    private TinyImageNet() {}

    public static boolean looksLike(Path dir) {
        return Files.isRegularFile(dir.resolve("wnids.txt")) && Files.isDirectory(dir.resolve("train"));
    }

    public static List<String> classes(Path dir) {
        if (!Files.isRegularFile(dir.resolve("wnids.txt")))
            throw new ReaperException("no wnids.txt in " + dir + ": not a Tiny-ImageNet folder (leave --dataset out to detect the layout)");
        try {
            List<String> wnids = Files.readAllLines(dir.resolve("wnids.txt")).stream().map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
            if (wnids.isEmpty()) throw new ReaperException(dir.resolve("wnids.txt") + " lists no classes");
            return wnids;
        } catch (IOException e) {
            throw new ReaperException("cannot read " + dir.resolve("wnids.txt") + ": " + e);
        }
    }

    public static ImageFolder.Split train(Path dir) {
        List<String> classes = classes(dir);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path folder = dir.resolve("train").resolve(classes.get(c));
            if (!Files.isDirectory(folder)) throw new ReaperException("wnids.txt names " + classes.get(c) + " but " + folder + " is missing");
            List<Path> found = ImageFolder.images(folder);
            if (found.isEmpty()) throw new ReaperException("class folder " + folder + " has no JPEG or PNG images");
            files.addAll(found);
            for (int k = 0; k < found.size(); k++) labels.add(c);
        }
        return new ImageFolder.Split(new ImageFiles(files, ImageFolder.toArray(labels), dir), classes);
    }

    public static ImageFolder.Split val(Path dir, List<String> classes) {
        Path annotations = dir.resolve("val").resolve("val_annotations.txt");
        if (!Files.isRegularFile(annotations)) throw new ReaperException(annotations + " not found (Tiny-ImageNet's validation labels)");
        Map<String, String> byFile = LabelsFile.read(annotations);
        Map<String, Integer> index = ImageFolder.indexOf(classes);
        Path images = Files.isDirectory(dir.resolve("val").resolve("images")) ? dir.resolve("val").resolve("images") : dir.resolve("val");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path f : ImageFolder.images(images)) {
            String cls = LabelsFile.lookup(byFile, f.getFileName().toString());
            if (cls == null) throw new ReaperException(annotations + " has no label for " + dir.relativize(f));
            files.add(f);
            labels.add(ImageFolder.classIndex(index, cls, annotations.toString()));
        }
        if (files.isEmpty()) throw new ReaperException("no JPEG or PNG images in " + images);
        return new ImageFolder.Split(new ImageFiles(files, ImageFolder.toArray(labels), dir), classes);
    }
}
