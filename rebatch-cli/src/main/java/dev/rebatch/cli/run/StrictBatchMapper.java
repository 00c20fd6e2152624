package dev.rebatch.cli.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rebatch.model.common.BatchJson;
import dev.rebatch.model.task.TaskSpec;
import java.util.List;

/**
 * The second stage of reading a job file: each part as its Batch record, through a mapper that refuses what it does
 * not know. The mapper's exceptions become problems at their path in the file: an unknown property with the closest
 * known one, a wrong type with what was expected and what was found, a value the record refuses with its reason.
 */
final class StrictBatchMapper {

    /**
     * Reads user input: unlike the wire mapper, which tolerates what a newer service sends, it refuses what it does
     * not know, so a typo is an error rather than a property silently not sent.
     */
    static final ObjectMapper STRICT = ((JsonMapper) BatchJson.newMapper()).rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final JsonNode document;
    private final JobFileErrors errors;
    private final RequiredIntegers integers;

    /** @param document the whole file, where a wrong value's path is looked up to say what was found */
    StrictBatchMapper(JsonNode document, JobFileErrors errors) {
        this.document = document;
        this.errors = errors;
        this.integers = new RequiredIntegers(errors);
    }

    /**
     * {@code node}, the value at {@code path}, as a {@code type}.
     *
     * @param noun what the value is to the user ("a pool"), for the messages
     */
    <T> T convert(JsonNode node, JsonPath path, Class<T> type, String noun) throws JobFileException {
        if (!node.isObject()) {
            throw errors.expected(path, noun + " (an object)", node);
        }
        try {
            return STRICT.treeToValue(node, type);
        } catch (UnrecognizedPropertyException unknown) {
            JsonPath at = path(path, unknown);
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            String owner = unknown.getPath().size() <= 1 ? noun : "this object";
            throw errors.at(at, "unknown property \"" + unknown.getPropertyName() + "\"" + ClosestName.didYouMean(
                    unknown.getPropertyName(), known) + "; " + owner + " has " + String.join(", ", known));
        } catch (ValueInstantiationException refused) {
            Throwable cause = refused.getCause() == null ? refused : refused.getCause();
            throw errors.at(path(path, refused), "not usable: " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()));
        } catch (MismatchedInputException wrong) {
            JsonPath at = path(path, wrong);
            throw errors.expected(at, ExpectedValue.of(wrong.getTargetType()), nodeAt(at));
        } catch (JsonMappingException other) {
            throw errors.at(path(path, other), other.getOriginalMessage());
        } catch (JsonProcessingException other) {
            throw errors.at(path, other.getOriginalMessage());
        }
    }

    /**
     * A task, or a template's task properties, at {@code path}. Its {@code int} properties are checked first: the
     * mapper would read a missing one as 0.
     */
    TaskSpec task(JsonNode node, JsonPath path, String noun) throws JobFileException {
        integers.requireInTask(node, path);
        return convert(node, path, TaskSpec.class, noun);
    }

    /** {@code base} followed by the exception's path inside the converted node. */
    private static JsonPath path(JsonPath base, JsonMappingException problem) {
        JsonPath path = base;
        for (JsonMappingException.Reference reference : problem.getPath()) {
            if (reference.getFieldName() != null) {
                path = path.property(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path = path.index(reference.getIndex());
            }
        }
        return path;
    }

    private JsonNode nodeAt(JsonPath path) {
        JsonNode node = document;
        for (Object segment : path.segments()) {
            node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
        }
        return node;
    }
}
