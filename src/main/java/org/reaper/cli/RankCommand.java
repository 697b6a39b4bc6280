package org.reaper.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reaper.backend.Backend;
import org.reaper.backend.Backends;
import org.reaper.repr.ReprOptions;
import org.reaper.repr.WeightsFileRanking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rank}: scores the conv filters of a safetensors file and lists the filters RePr would drop. */
@Command(name = "rank", mixinStandardHelpOptions = true,
        description = "Rank the conv filters of a .safetensors file (every 4-D tensor, by name) and list the ones RePr would drop.")
public final class RankCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "A .safetensors file (e.g. a PyTorch state_dict or a Reaper checkpoint).")
    Path weights;

    @Option(names = "--criterion", converter = ReprOptions.CriterionConv.class, paramLabel = "ortho|ortho-official|weight-l1|weight-l2|random",
            description = "Ranking criterion (default ortho).")
    ReprOptions.Criterion criterion = ReprOptions.Criterion.ORTHO;

    @Option(names = "--prune", paramLabel = "FRACTION", description = "Fraction of eligible filters to drop (default ${DEFAULT-VALUE}).")
    double prune = 0.3;

    @Option(names = "--scope", converter = ReprOptions.ScopeConv.class, paramLabel = "global|layer", description = "Global ranking (default) or per layer.")
    ReprOptions.Scope scope = ReprOptions.Scope.GLOBAL;

    @Option(names = "--exclude-first", description = "Never drop filters of the first layer.")
    boolean excludeFirst;

    @Option(names = "--min-keep", paramLabel = "FILTERS", description = "Floor of filters kept per layer (default ${DEFAULT-VALUE}).")
    int minKeep;

    @Option(names = "--norm", converter = ReprOptions.NormConv.class, paramLabel = "filter|frobenius", description = "Ortho normalisation (default filter).")
    ReprOptions.Norm norm = ReprOptions.Norm.FILTER;

    @Option(names = "--abs", converter = ReprOptions.AbsConv.class, paramLabel = "element|mean", description = "Ortho |.| placement (default element).")
    ReprOptions.Abs abs = ReprOptions.Abs.ELEMENT;

    @Option(names = "--seed", description = "Seed of the random criterion (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--device", description = "cpu | cuda | cuda-emulated | auto (default ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Option(names = "--json", description = "Print one JSON document (per layer name, shape and every score; the dropped (layer, filter) pairs).")
    boolean json;

    /** The options as RePr sees them. */
    ReprOptions options() {
        ReprOptions o = new ReprOptions();
        o.criterion = criterion;
        o.prune = prune;
        o.scope = scope;
        o.excludeFirst = excludeFirst;
        o.minKeep = minKeep;
        o.norm = norm;
        o.abs = abs;
        return o;
    }

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> doc;
        try (Backend b = Backends.create(device, 0)) {
            doc = WeightsFileRanking.rank(b, WeightsFileRanking.convWeights(weights), options(), seed, weights.toString());
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(doc));
        } else {
            out.printf(Locale.ROOT, "%s: %s of %s filters dropped (criterion %s)%n", weights, doc.get("total_dropped"), doc.get("total_filters"),
                    criterion.label());
            @SuppressWarnings("unchecked") List<Map<String, Object>> layers = (List<Map<String, Object>>) doc.get("layers");
            for (Map<String, Object> l : layers)
                out.printf(Locale.ROOT, "  %-40s %-18s dropped %s%n", l.get("name"), java.util.Arrays.toString((int[]) l.get("shape")), l.get("dropped_count"));
        }
        out.flush();
        return 0;
    }

    static ObjectMapper pretty() { return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT); }
}
