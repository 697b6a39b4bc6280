package org.reaper.repr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.train.Json;

/**
 * One run's {@code criteria-scores.json} read back ({@link CriteriaScoring} writes it): the layers, the run's RePr
 * options, and per criterion the scores of every filter with the end of the ranking that is dropped.
 */
public record CriteriaScores(Path file, int epoch, long seed, ReprOptions options, List<String> layers, List<int[]> shapes,
                             Map<String, Criterion> criteria) {

    /** One criterion's scores, per layer; {@code importance} turns them so that larger always means "keep". */
    public record Criterion(String name, boolean dropHighest, double seconds, List<float[]> scores) {
        public List<LayerScores> layerScores(List<String> layers, List<int[]> shapes) {
            List<LayerScores> out = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) out.add(new LayerScores(layers.get(i), shapes.get(i), scores.get(i)));
            return out;
        }

        public double importance(int layer, int filter) {
            double s = scores.get(layer)[filter];
            return dropHighest ? -s : s;
        }
    }

    /** Reads {@code path}: a criteria-scores.json file or a run folder holding one. */
    @SuppressWarnings("unchecked")
    public static CriteriaScores read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(CriteriaScoring.FILE) : path;
        if (!Files.isRegularFile(file))
            throw new ReaperException(file + " does not exist: train the run with --schedule repr --score-criteria (it is written at the first drop)");
        Map<String, Object> m = Json.readMap(file);
        try {
            List<String> layers = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            for (Object o : (List<Object>) m.get("layers")) {
                Map<String, Object> l = (Map<String, Object>) o;
                layers.add((String) l.get("name"));
                shapes.add(((List<Number>) l.get("shape")).stream().mapToInt(Number::intValue).toArray());
            }
            Map<String, Criterion> criteria = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("criteria")).entrySet()) {
                Map<String, Object> c = (Map<String, Object>) e.getValue();
                List<float[]> scores = new ArrayList<>();
                List<Object> perLayer = (List<Object>) c.get("scores");
                if (perLayer.size() != layers.size())
                    throw new ReaperException(file + ": criterion " + e.getKey() + " has " + perLayer.size() + " layers of scores, expected " + layers.size());
                for (int i = 0; i < perLayer.size(); i++) {
                    List<Object> xs = (List<Object>) perLayer.get(i);
                    float[] f = new float[xs.size()];
                    // Jackson writes NaN as the string "NaN"
                    for (int j = 0; j < f.length; j++) f[j] = xs.get(j) instanceof Number n ? n.floatValue() : Float.parseFloat(String.valueOf(xs.get(j)));
                    if (f.length != shapes.get(i)[0])
                        throw new ReaperException(file + ": criterion " + e.getKey() + " scores " + f.length + " filters of " + layers.get(i) + ", which has " + shapes.get(i)[0]);
                    scores.add(f);
                }
                criteria.put(e.getKey(), new Criterion(e.getKey(), (Boolean) c.get("drop_highest"), ((Number) c.get("seconds")).doubleValue(), scores));
            }
            ReprOptions o = RecordedOptions.of((Map<String, Object>) m.get("options"));
            return new CriteriaScores(file, ((Number) m.get("epoch")).intValue(), ((Number) m.get("seed")).longValue(), o, layers, shapes, criteria);
        } catch (ClassCastException | NullPointerException | NumberFormatException e) {
            throw new ReaperException(file + " is not a criteria-scores file written by --score-criteria (" + e.getMessage() + ")");
        }
    }

    /** The same scores compared over every layer: the exclusions the run dropped by are lifted. */
    public CriteriaScores everyLayer() {
        ReprOptions o = options.copy();
        o.excludeFirst = false;
        o.exclude1x1 = false;
        o.excludeDownsample = false;
        return new CriteriaScores(file, epoch, seed, o, layers, shapes, criteria);
    }

    public Criterion criterion(String name) {
        Criterion c = criteria.get(name);
        if (c == null) throw new ReaperException(file + " has no scores for criterion '" + name + "' (it has " + String.join(", ", criteria.keySet()) + ")");
        return c;
    }
}
