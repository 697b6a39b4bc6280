package org.reaper.data;

import org.reaper.ReaperException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels of a flat validation folder, one image a line: {@code <file> <class> ...} separated by whitespace
 * or commas (Tiny-ImageNet's val_annotations.txt; Kaggle's LOC_val_solution.csv, whose file names lack the
 * extension and whose class is the first word of the second column; or a plain {@code val/labels.txt}).
 */
final class LabelsFile {
    static final String NAMES = "val/labels.txt, LOC_val_solution.csv or val/val_annotations.txt";
    private static final List<String> CANDIDATES = List.of("val/labels.txt", "LOC_val_solution.csv", "val/val_annotations.txt");

    private LabelsFile() {}

    static Path find(Path dir) {
        for (String c : CANDIDATES) if (Files.isRegularFile(dir.resolve(c))) return dir.resolve(c);
        return null;
    }

    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ReaperException("cannot read labels file " + file + ": " + e);
        }
        Map<String, String> m = new HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || (n == 0 && line.startsWith("ImageId"))) continue;   // the CSV's header
            String[] parts = line.split("[\\s,]+");
            if (parts.length < 2) throw new ReaperException(file + " line " + (n + 1) + ": expected '<file> <class>', got '" + line + "'");
            m.put(parts[0], parts[1]);
        }
        return m;
    }

    /** The class of {@code fileName}, matched with or without its extension. */
    static String lookup(Map<String, String> labels, String fileName) {
        String cls = labels.get(fileName);
        int dot = fileName.lastIndexOf('.');
        return cls != null || dot < 0 ? cls : labels.get(fileName.substring(0, dot));
    }
}
