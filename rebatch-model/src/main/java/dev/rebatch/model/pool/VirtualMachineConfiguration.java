package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code VirtualMachineConfiguration}.
 *
 * <p>Not modelled (unknown properties are ignored on read): windowsConfiguration, dataDisks, licenseType,
 * containerConfiguration, diskEncryptionConfiguration, nodePlacementConfiguration, extensions, osDisk,
 * securityProfile, serviceArtifactReference.
 */
public record VirtualMachineConfiguration(
        @JsonProperty("imageReference") ImageReference imageReference,
        @JsonProperty("nodeAgentSKUId") String nodeAgentSKUId) {}
