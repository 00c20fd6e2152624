package dev.rebatch.node.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The properties of a file or directory in a task directory (spec FileProperties); the HEAD and GET file operations
 * send the same values as headers (ocp-creation-time, Last-Modified, Content-Length, Content-Type,
 * ocp-batch-file-mode).
 *
 * @param creationTime  when the file was made, as Java reports it (the birth time where the file system keeps one,
 *                      else the last modification). The spec says Linux nodes do not return it; Rebatch does, as
 *                      clients that expect it are more common than clients that break on it.
 * @param lastModified  the last modification
 * @param contentLength the size in bytes at the moment it was read; 0 for a directory
 * @param contentType   {@code application/octet-stream} for every file, as in the spec's examples; absent for a
 *                      directory
 * @param fileMode      the file's mode in octal as {@code stat} gives it, type bits included: {@code 0100644} for a
 *                      regular file, {@code 040755} for a directory
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileProperties(
        @JsonProperty("creationTime") Instant creationTime,
        @JsonProperty("lastModified") Instant lastModified,
        @JsonProperty("contentLength") long contentLength,
        @JsonProperty("contentType") String contentType,
        @JsonProperty("fileMode") String fileMode) {}
