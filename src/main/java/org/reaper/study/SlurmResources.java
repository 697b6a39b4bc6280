package org.reaper.study;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.reaper.ReaperException;

/** What each array task asks Slurm for; null fields are left to the cluster's defaults. */
public record SlurmResources(String partition, String time, int cpusPerTask, String mem, int gpusPerTask) {
    private static final Pattern TIME = Pattern.compile("\\d+(-\\d+)?(:\\d+){0,2}"), MEM = Pattern.compile("\\d+[KMGT]?");

    /** Refuses values sbatch would reject, before anything is written. */
    public SlurmResources {
        if (cpusPerTask < 1) throw new ReaperException("--cpus-per-task must be at least 1 (got " + cpusPerTask + ")");
        if (gpusPerTask < 0) throw new ReaperException("--gpus-per-task must be at least 0 (got " + gpusPerTask + ")");
        if (time != null && !TIME.matcher(time).matches())
            throw new ReaperException("--time '" + time + "' is not a Slurm time limit (MINUTES, HH:MM:SS or DAYS-HH:MM:SS)");
        if (mem != null && !MEM.matcher(mem).matches()) throw new ReaperException("--mem '" + mem + "' is not a Slurm memory size (e.g. 8G)");
        if (partition != null && !partition.matches("[A-Za-z0-9_.,-]+")) throw new ReaperException("--partition '" + partition + "' is not a partition name");
    }

    /** The #SBATCH lines for these resources. */
    List<String> directives() {
        List<String> d = new ArrayList<>();
        if (partition != null) d.add("--partition=" + partition);
        if (time != null) d.add("--time=" + time);
        d.add("--cpus-per-task=" + cpusPerTask);
        if (mem != null) d.add("--mem=" + mem);
        if (gpusPerTask > 0) d.add("--gpus-per-task=" + gpusPerTask);
        return d;
    }
}
