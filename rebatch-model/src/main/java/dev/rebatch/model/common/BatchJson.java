package dev.rebatch.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson configuration of the Batch wire: every record of this module reads and writes its spec shape through
 * {@link #mapper()}.
 */
public final class BatchJson {

    private static final ObjectMapper MAPPER = newMapper();

    private BatchJson() {}

    /**
     * The shared mapper. It is thread-safe for reading and writing; do not reconfigure it (that would change the wire
     * for every user in the JVM) — take {@link #newMapper()} for a private copy to customise.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A fresh mapper configured as {@link #mapper()}, for callers that need to add their own settings. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                // Instant and Duration components (java.time) need the JSR-310 module to be read and written at all.
                .addModule(new JavaTimeModule())
                // Batch bodies carry dates as ISO 8601 strings ("2024-07-01T10:00:00Z"), never epoch numbers.
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Batch durations (maxWallClockTime, resizeTimeout, ...) are ISO 8601 strings such as "PT1H".
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                // An absent optional property means "service default" (or "unchanged" in a patch); an explicit null
                // is not the same thing to Batch and must never be sent for a component the caller left unset.
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.USE_DEFAULTS))
                // Responses carry odata.metadata and properties newer (or older) than these records: ignore them so
                // a service upgrade never breaks a client.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // The wire writes enums in lowercase ("terminatejob"), but the spec's x-ms-enum names and some
                // clients use camelCase ("terminateJob"): read both.
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                // States and other open-ended enums grow between api-versions: a value these enums do not know
                // reads as their @JsonEnumDefaultValue UNKNOWN instead of failing the whole response.
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
                .build();
    }

    /** The Jackson type of a page of {@code element}s: {@code mapper().readValue(body, listPageOf(CloudJob.class))}. */
    public static JavaType listPageOf(Class<?> element) {
        return MAPPER.getTypeFactory().constructParametricType(ListPage.class, element);
    }
}
