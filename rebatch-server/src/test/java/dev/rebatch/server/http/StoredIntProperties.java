package dev.rebatch.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Json#storedInt} reads what a whole tree would, wherever the property is and whatever surrounds it. */
class StoredIntProperties {

    @Property
    void readsTheTopLevelPropertyAsTheTreeDoes(@ForAll("documents") String json) {
        int expected = Json.readStored(json).path("requiredSlots").asInt(-7);

        assertThat(Json.storedInt(json, "requiredSlots", -7)).isEqualTo(expected);
    }

    /**
     * Task-like objects: other properties before and after (strings, numbers, nested objects and arrays that may hold
     * a requiredSlots of their own, as a decoy), with or without the property itself.
     */
    @Provide
    Arbitrary<String> documents() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> slots = Arbitraries.integers().between(-3, 1000);
        Arbitrary<Boolean> present = Arbitraries.of(true, false);
        Arbitrary<List<Integer>> decoys = Arbitraries.integers().between(0, 3).list().ofMaxSize(4);
        return Combinators.combine(position, slots, present, decoys).as((at, value, has, others) -> {
            ObjectNode document = Json.MAPPER.createObjectNode();
            for (int i = 0; i < 5; i++) {
                if (i == at && has) {
                    document.put("requiredSlots", value);
                }
                int kind = i < others.size() ? others.get(i) : i % 4;
                switch (kind) {
                    case 0 -> document.put("id" + i, "task \"" + i + "\" {requiredSlots: 9}");
                    case 1 -> document.put("n" + i, i * 1.5);
                    case 2 -> document.putObject("constraints" + i).put("requiredSlots", 99).putArray("a").add(1);
                    default -> document.putArray("dependsOn" + i).addObject().put("requiredSlots", 42);
                }
            }
            return Json.write(document);
        });
    }
}
