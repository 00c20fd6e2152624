package dev.rebatch.node.files;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A file or directory of a task (spec NodeFile) without its {@code url}, which only the HTTP side can build (it is
 * the task's URL + {@code /files/} + name).
 *
 * @param name        the path relative to the task directory, with {@code /} between names: {@code stdout.txt},
 *                    {@code wd}, {@code wd/out/result.csv}
 * @param isDirectory whether it is a directory
 */
public record NodeFile(
        @JsonProperty("name") String name,
        @JsonProperty("isDirectory") boolean isDirectory,
        @JsonProperty("properties") FileProperties properties) {}
