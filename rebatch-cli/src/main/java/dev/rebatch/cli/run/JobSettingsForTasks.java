package dev.rebatch.cli.run;

import dev.rebatch.model.job.JobSpec;
import dev.rebatch.model.job.OnTaskFailure;
import java.util.List;
import java.util.Optional;

/**
 * The job settings that some tasks need and a file easily leaves out: usesTaskDependencies for a task with
 * dependencies, and onTaskFailure = performexitoptionsjobaction for a task with a jobAction. Each is set, with a note
 * for the user, when the file leaves it unset, and refused when the file says otherwise, as the file then
 * contradicts itself.
 */
final class JobSettingsForTasks {

    private static final JsonPath JOB = JsonPath.ROOT.property("job");

    private final JobFileErrors errors;

    JobSettingsForTasks(JobFileErrors errors) {
        this.errors = errors;
    }

    /**
     * {@code job} with what {@code tasks} need filled in.
     *
     * @param notes where a sentence for each setting filled in is added
     */
    JobSpec fill(JobSpec job, List<TaskInFile> tasks, List<String> notes) throws JobFileException {
        return onTaskFailure(usesTaskDependencies(job, tasks, notes), tasks, notes);
    }

    private JobSpec usesTaskDependencies(JobSpec job, List<TaskInFile> tasks, List<String> notes)
            throws JobFileException {
        Optional<TaskInFile> withDependencies = tasks.stream().filter(entry -> entry.task().dependsOn() != null
                || ExitActions.anyDependencyAction(entry.task().exitConditions())).findFirst();
        if (withDependencies.isEmpty()) {
            return job;
        }
        String who = withDependencies.get().describe();
        if (Boolean.FALSE.equals(job.usesTaskDependencies())) {
            throw errors.at(JOB.property("usesTaskDependencies"), "is false, but " + who
                    + " has dependencies (dependsOn or a dependencyAction): set it to true or leave it out");
        }
        if (job.usesTaskDependencies() == null) {
            notes.add("job.usesTaskDependencies is set to true: " + who + " has dependencies.");
            return job.withUsesTaskDependencies(true);
        }
        return job;
    }

    private JobSpec onTaskFailure(JobSpec job, List<TaskInFile> tasks, List<String> notes) throws JobFileException {
        Optional<TaskInFile> withJobAction = tasks.stream()
                .filter(entry -> ExitActions.anyJobAction(entry.task().exitConditions())).findFirst();
        if (withJobAction.isEmpty()) {
            return job;
        }
        String who = withJobAction.get().describe();
        if (job.onTaskFailure() == OnTaskFailure.NO_ACTION) {
            throw errors.at(JOB.property("onTaskFailure"), "is noaction, but " + who
                    + " has a jobAction in its exitConditions, which only performexitoptionsjobaction carries out");
        }
        if (job.onTaskFailure() == null) {
            notes.add("job.onTaskFailure is set to performexitoptionsjobaction: " + who
                    + " has a jobAction in its exitConditions.");
            return job.withOnTaskFailure(OnTaskFailure.PERFORM_EXIT_OPTIONS_JOB_ACTION);
        }
        return job;
    }
}
