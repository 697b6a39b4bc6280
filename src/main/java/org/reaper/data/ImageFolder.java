package org.reaper.data;

import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * torchvision's ImageFolder layout: {@code DIR/train/<class>/...} and {@code DIR/val/<class>/...} (JPEG and
 * PNG, found recursively, sorted by path), classes sorted by folder name and numbered from 0. The validation
 * folder may instead be ImageNet's own flat folder of images with a labels file ({@link LabelsFile}).
 * Every class of {@code val} must be a training class (its label is the training index of that name).
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** The labelled files of one split and the class names (the training classes, for both splits). */
    public record Split(ImageFiles files, List<String> classes) {}

    public static boolean looksLike(Path dir) {
        return Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("val")) && !Files.isRegularFile(dir.resolve("wnids.txt"));
    }

    public static List<String> classes(Path trainDir) {
        List<String> classes = new ArrayList<>();
        try (Stream<Path> s = Files.list(trainDir)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(classes::add);
        } catch (IOException e) {
            throw new ReaperException("cannot list " + trainDir + ": " + e);
        }
        if (classes.isEmpty()) throw new ReaperException("no class folders in " + trainDir + " (expected train/<class>/<images>)");
        return classes;
    }

    public static Split train(Path dir) {
        Path train = dir.resolve("train");
        List<String> classes = classes(train);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> found = images(train.resolve(classes.get(c)));
            if (found.isEmpty())
                throw new ReaperException("class folder " + train.resolve(classes.get(c)) + " has no JPEG or PNG images");
            files.addAll(found);
            for (int k = 0; k < found.size(); k++) labels.add(c);
        }
        return new Split(new ImageFiles(files, toArray(labels), dir), classes);
    }

    /** The validation images, labelled with the indices of {@code classes} (the training classes). */
    public static Split val(Path dir, List<String> classes) {
        Path val = dir.resolve("val");
        Map<String, Integer> index = indexOf(classes);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Path> subfolders = new ArrayList<>();
        try (Stream<Path> s = Files.list(val)) {
            s.filter(Files::isDirectory).sorted().forEach(subfolders::add);
        } catch (IOException e) {
            throw new ReaperException("cannot list " + val + ": " + e);
        }
        Path labelsFile = LabelsFile.find(dir);
        if (subfolders.isEmpty() || labelsFile != null) {
            if (labelsFile == null)
                throw new ReaperException(val + " has no class folders and no labels file (" + LabelsFile.NAMES + ")");
            Map<String, String> byFile = LabelsFile.read(labelsFile);
            for (Path f : images(val)) {
                String cls = LabelsFile.lookup(byFile, f.getFileName().toString());
                if (cls == null) throw new ReaperException(labelsFile + " has no label for " + dir.relativize(f));
                files.add(f);
                labels.add(classIndex(index, cls, labelsFile.toString()));
            }
        } else {
            for (Path sub : subfolders) {
                int label = classIndex(index, sub.getFileName().toString(), val.toString());
                for (Path f : images(sub)) {
                    files.add(f);
                    labels.add(label);
                }
            }
        }
        if (files.isEmpty()) throw new ReaperException("no JPEG or PNG images in " + val);
        return new Split(new ImageFiles(files, toArray(labels), dir), classes);
    }

    static int classIndex(Map<String, Integer> index, String cls, String where) {
        Integer i = index.get(cls);
        if (i == null)
            throw new ReaperException("validation class '" + cls + "' (in " + where + ") is not a training class: train and val must name the same classes");
        return i;
    }

    static Map<String, Integer> indexOf(List<String> classes) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) m.put(classes.get(i), i);
        return m;
    }

    /** JPEG and PNG files under {@code folder}, recursively, sorted by path. */
    public static List<Path> images(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
        } catch (IOException e) {
            throw new ReaperException("cannot list " + folder + ": " + e);
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    static int[] toArray(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }
}
