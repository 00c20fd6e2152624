package dev.rebatch.model.pool;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Mirrors spec definition {@code ImageReference}: a Marketplace image or a custom image id.
 *
 * <p>Not modelled (unknown properties are ignored on read): exactVersion (read-only), sharedGalleryImageId,
 * communityGalleryImageId.
 */
public record ImageReference(
        @JsonProperty("publisher") String publisher,
        @JsonProperty("offer") String offer,
        @JsonProperty("sku") String sku,
        @JsonProperty("version") String version,
        @JsonProperty("virtualMachineImageId") String virtualMachineImageId) {

    /** A Marketplace image; {@code version} "latest" (or null) takes the newest. */
    public static ImageReference marketplace(String publisher, String offer, String sku, String version) {
        return new ImageReference(publisher, offer, sku, version, null);
    }

    /** A custom image by its ARM resource id. */
    public static ImageReference customImage(String virtualMachineImageId) {
        return new ImageReference(null, null, null, null, virtualMachineImageId);
    }
}
