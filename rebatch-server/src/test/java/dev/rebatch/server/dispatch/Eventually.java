package dev.rebatch.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Reads until what is read is as expected, for views the service writes a moment later (node counts, job ends). */
final class Eventually {

    private Eventually() {}

    /** The first read that {@code done} accepts, within 5 s; otherwise an AssertionError showing the last read. */
    static JsonNode eventually(Supplier<JsonNode> read, Predicate<JsonNode> done) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 100; i++) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never reached: " + last);
    }
}
