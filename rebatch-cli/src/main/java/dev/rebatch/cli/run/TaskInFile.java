package dev.rebatch.cli.run;

import dev.rebatch.model.task.TaskSpec;

/**
 * A task and where it came from, so that a check across tasks can point at the place to fix.
 *
 * @param task   the task
 * @param origin its object in the file: an item of "tasks", or the template that made it
 * @param i      the template's i that made it, or {@code null} for an item of "tasks"
 */
record TaskInFile(TaskSpec task, JsonPath origin, Integer i) {

    /** Where its id is written: its "id", or its template's "idPattern". */
    JsonPath idPath() {
        return i == null ? origin.property("id") : origin.property("idPattern");
    }

    /** The task for a message: its path, with i when a template made it. */
    String describe() {
        return i == null ? origin.toString() : origin + " (i = " + i + ")";
    }
}
