package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ResourceFile}: a file (or blob container) downloaded to the node before a task runs.
 * Exactly one of autoStorageContainerName, storageContainerUrl and httpUrl is set.
 */
public record ResourceFile(
        @JsonProperty("autoStorageContainerName") String autoStorageContainerName,
        @JsonProperty("storageContainerUrl") String storageContainerUrl,
        @JsonProperty("httpUrl") String httpUrl,
        @JsonProperty("blobPrefix") String blobPrefix,
        @JsonProperty("filePath") String filePath,
        @JsonProperty("fileMode") String fileMode,
        @JsonProperty("identityReference") ComputeNodeIdentityReference identityReference) {

    /** The file at {@code httpUrl}, downloaded to {@code filePath} (relative to the task's working directory). */
    public static ResourceFile fromHttpUrl(String httpUrl, String filePath) {
        return new ResourceFile(null, null, httpUrl, null, filePath, null, null);
    }

    /** The blobs of a container URL (with SAS if needed), downloaded under {@code filePath} (may be null). */
    public static ResourceFile fromStorageContainerUrl(String storageContainerUrl, String filePath) {
        return new ResourceFile(null, storageContainerUrl, null, null, filePath, null, null);
    }

    public ResourceFile withBlobPrefix(String blobPrefix) {
        return new ResourceFile(autoStorageContainerName, storageContainerUrl, httpUrl, blobPrefix, filePath, fileMode,
                identityReference);
    }

    /** The octal Linux file mode, e.g. "0755". */
    public ResourceFile withFileMode(String fileMode) {
        return new ResourceFile(autoStorageContainerName, storageContainerUrl, httpUrl, blobPrefix, filePath, fileMode,
                identityReference);
    }
}
