package dev.rebatch.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a request holds, it fits the one block {@link SpawnArguments} carves, and reads back as written. */
class SpawnArgumentsProperties {

    @Property(tries = 300)
    void everyStringOfAnyRequestFitsAndReadsBack(@ForAll("words") List<String> command,
            @ForAll("environments") Map<String, String> environment, @ForAll("texts") String directory) {
        Path workingDir = Path.of("/", "tmp", directory.isEmpty() ? "wd" : directory);
        SpawnRequest request = new SpawnRequest(command, workingDir, environment, workingDir.resolve("stdout.txt"),
                workingDir.resolve("stderr.txt"));

        try (Arena arena = Arena.ofConfined()) {
            SpawnArguments call = assertCarves(arena, request);

            assertThat(call.program().getString(0)).isEqualTo(command.get(0));
            assertThat(strings(call.argv())).isEqualTo(command);
            List<String> expectedEnvironment = new ArrayList<>();
            environment.forEach((name, value) -> expectedEnvironment.add(name + "=" + value));
            assertThat(strings(call.envp())).containsExactlyInAnyOrderElementsOf(expectedEnvironment);
            assertThat(call.devNull().getString(0)).isEqualTo("/dev/null");
            assertThat(call.stdout().getString(0)).isEqualTo(request.stdout().toString());
            assertThat(call.stderr().getString(0)).isEqualTo(request.stderr().toString());
            assertThat(call.workingDir().getString(0)).isEqualTo(workingDir.toString());
            assertThat(call.attributes().byteSize()).isEqualTo(LibcSpawnCalls.ATTR_BYTES);
            assertThat(call.actions().byteSize()).isEqualTo(LibcSpawnCalls.FILE_ACTIONS_BYTES);
            assertThat(call.noSignals().address() % 16).isZero();
            assertThat(call.allSignals().address() % 16).isZero();
        }
    }

    @Example
    void aNulInAnyStringIsRefusedAsALaunchFailure() {
        Path wd = Path.of("/tmp/wd");
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> SpawnArguments.carve(arena, new SpawnRequest(List.of("/bin/echo", "a\0b"), wd,
                    Map.of(), wd.resolve("o"), wd.resolve("e"))))
                    .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.failure().code())
                            .isEqualTo(FailureInfo.COMMAND_LAUNCH_FAILED));
            assertThatThrownBy(() -> SpawnArguments.carve(arena, new SpawnRequest(List.of("/bin/true"), wd,
                    Map.of("NAME", "a\0b"), wd.resolve("o"), wd.resolve("e"))))
                    .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.failure().code())
                            .isEqualTo(FailureInfo.COMMAND_LAUNCH_FAILED));
        }
    }

    private static SpawnArguments assertCarves(Arena arena, SpawnRequest request) {
        try {
            return SpawnArguments.carve(arena, request);
        } catch (SpawnFailedException e) {
            throw new AssertionError("a request without NUL was refused", e);
        }
    }

    /** The strings of a NULL-terminated array of C strings. */
    private static List<String> strings(MemorySegment array) {
        MemorySegment pointers = array.reinterpret(Long.MAX_VALUE);
        List<String> strings = new ArrayList<>();
        for (long i = 0; ; i++) {
            MemorySegment string = pointers.getAtIndex(ValueLayout.ADDRESS, i);
            if (string.equals(MemorySegment.NULL)) {
                return strings;
            }
            strings.add(string.reinterpret(Long.MAX_VALUE).getString(0));
        }
    }

    @Provide
    Arbitrary<List<String>> words() {
        return texts().list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20), texts()).ofMaxSize(60);
    }

    /**
     * Text of every width in UTF-8: ASCII, two- and three-byte characters, and characters outside the BMP (a
     * surrogate pair in Java, four bytes in UTF-8), but never NUL.
     */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0001', '\u007f').ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0080', '\u07ff').ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0800', '\ud7ff').ofMaxLength(40),
                Arbitraries.integers().between(0x10000, 0x10ffff).map(Character::toString));
        return pieces.list().ofMaxSize(6).map(parts -> String.join("", parts));
    }
}
