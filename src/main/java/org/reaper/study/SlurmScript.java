package org.reaper.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reaper.train.GracefulStop;

/**
 * STUDY/slurm/array.sbatch: one array task per variant x seed. Each task runs {@code reaper study ... --task I}, which
 * resumes run I from its checkpoint if it has one, starts it if not, and exits at once when it is finished. Slurm's
 * SIGTERM (scancel, preemption, requeue) reaches the JVM directly and stops the run with a checkpoint inside the epoch;
 * the time-limit warning (SIGUSR1, 120 s before) goes to this script, which forwards it and then requeues the task.
 */
public final class SlurmScript {
    public static final String FOLDER = "slurm", FILE = "array.sbatch";
    /** Signalled before the time limit: enough for a step and a checkpoint of the models here. */
    static final String WARNING = "B:USR1@120";
    /** Where in the command the task's index goes. */
    public static final String TASK = "--task=${SLURM_ARRAY_TASK_ID}";

    private SlurmScript() {}

    /** The script; {@code command} is the reaper command line of a task, with {@link #TASK} where the index goes. */
    public static String text(Path study, int tasks, SlurmResources r, List<String> command) {
        Path dir = study.toAbsolutePath().normalize();
        List<String> d = new ArrayList<>(List.of("--job-name=reaper-" + dir.getFileName(), "--array=0-" + (tasks - 1), "--requeue",
                "--signal=" + WARNING, "--open-mode=append", "--output=" + dir.resolve(FOLDER).resolve("task-%a.log"),
                "--chdir=" + Path.of("").toAbsolutePath()));
        d.addAll(r.directives());
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        for (String line : d) b.append("#SBATCH ").append(line).append('\n');
        b.append("""
                # Written by `reaper study --slurm`: task I trains run I of the study (variants x seeds, in study.json order):
                # it resumes from the run's checkpoint if there is one, else starts; a finished run exits at once.
                unset REAPER_CHILD   # set in the submitting JVM; a task is not its relaunched child
                echo "task $SLURM_ARRAY_TASK_ID (job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -Is)"
                near_limit=0
                # the time-limit warning comes to this shell only (B:): forward it; SIGTERM reaches the JVM itself
                trap 'near_limit=1; kill -USR1 "$pid" 2>/dev/null' USR1
                trap 'kill -TERM "$pid" 2>/dev/null' TERM
                """);
        b.append(String.join(" ", command.stream().map(a -> a.equals(TASK) ? "--task \"$SLURM_ARRAY_TASK_ID\"" : quote(a)).toList())).append(" &\n");
        b.append("pid=$!\n");
        b.append("while :; do wait \"$pid\"; code=$?; kill -0 \"$pid\" 2>/dev/null || break; done\n");
        b.append("if [ \"$code\" = " + GracefulStop.EXIT_CODE + " ] && [ \"$near_limit\" = 1 ]; then\n");
        b.append("    echo \"time limit near: checkpoint written; requeueing\"\n");
        b.append("    scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n");
        b.append("fi\n");
        b.append("exit \"$code\"\n");
        return b.toString();
    }

    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
