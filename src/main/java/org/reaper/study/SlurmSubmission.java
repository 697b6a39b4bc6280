package org.reaper.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reaper.ReaperException;
import org.reaper.io.AtomicFile;
import org.reaper.io.IoErrors;
import org.reaper.train.Json;

/** Writes STUDY/slurm/array.sbatch, submits it and records the job in STUDY/slurm/job.json; reads that record back. */
public final class SlurmSubmission {
    public static final String JOB = "job.json";
    private static final List<String> ACTIVE = List.of("PENDING", "RUNNING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "CONFIGURING",
            "COMPLETING", "SUSPENDED", "RESIZING", "SIGNALING", "STAGE_OUT");

    private SlurmSubmission() {}

    /** The id of the study's last submitted job, or null. */
    public static String jobId(Path study) {
        Path f = study.resolve(SlurmScript.FOLDER).resolve(JOB);
        return Files.isRegularFile(f) && Json.readMap(f).get("job_id") instanceof String id ? id : null;
    }

    /** Refuses a second submission while the study's earlier job still has tasks waiting or running (they share the run folders). */
    public static void checkNoActiveJob(Path study) {
        String id = jobId(study);
        if (id == null) return;
        long active = Slurm.tasks(id).values().stream().filter(t -> ACTIVE.contains(t.state())).count();
        if (active > 0)
            throw new ReaperException("the study's Slurm job " + id + " still has " + active + " task(s) pending or running; "
                    + "wait for it (reaper study " + study + " --status) or cancel it (scancel " + id + ") before submitting again");
    }

    /** Writes the script, submits it and records the job; on a refusal removes what it wrote. Returns the job id. */
    public static String submit(Path study, String script, int tasks) {
        Path dir = study.resolve(SlurmScript.FOLDER), file = dir.resolve(SlurmScript.FILE);
        boolean created = !Files.isDirectory(dir);
        String previous = readOrNull(file);
        try {
            Files.createDirectories(dir);              // Slurm does not create the folder of --output
        } catch (IOException e) {
            throw new ReaperException("cannot create " + dir + ": " + IoErrors.reason(e), e);
        }
        AtomicFile.write(file, script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String id;
        try {
            id = Slurm.submit(file);
        } catch (ReaperException e) {
            undo(dir, file, previous, created);
            throw e;
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_id", id);
        job.put("tasks", tasks);
        job.put("script", file.toAbsolutePath().normalize().toString());
        job.put("submitted", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Json.writeAtomically(dir.resolve(JOB), Json.pretty(job) + "\n");
        return id;
    }

    private static String readOrNull(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void undo(Path dir, Path file, String previous, boolean created) {
        try {
            if (previous != null) AtomicFile.write(file, previous.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            else Files.deleteIfExists(file);
            if (created) Files.deleteIfExists(dir);
        } catch (IOException | ReaperException ignored) {
            // best effort: the submission error is what the user needs to see
        }
    }
}
