package dev.rebatch.cli;

/** What the create commands share: flags or --json, never both; the required flags; reading the body. */
final class Creates {

    private Creates() {}

    /** Refuses flags given together with --json: the body is the whole request. Pairs of (value, flag name). */
    static void noFlagsWithJson(ClientCommand.Session session, Object... valuesAndNames) {
        java.util.List<String> given = new java.util.ArrayList<>();
        for (int i = 0; i < valuesAndNames.length; i += 2) {
            Object value = valuesAndNames[i];
            boolean set = value instanceof Boolean b ? b
                    : value instanceof java.util.Collection<?> c ? !c.isEmpty()
                    : value instanceof java.util.Map<?, ?> m ? !m.isEmpty()
                    : value != null;
            if (set) {
                given.add((String) valuesAndNames[i + 1]);
            }
        }
        if (!given.isEmpty()) {
            throw session.usage("--json FILE is the whole body; leave out " + String.join(", ", given)
                    + " (or put them in the file).");
        }
    }

    /** Refuses a create without its required values. Pairs of (value, name). */
    static void required(ClientCommand.Session session, Object... valuesAndNames) {
        for (int i = 0; i < valuesAndNames.length; i += 2) {
            if (valuesAndNames[i] == null) {
                throw session.usage("Missing " + valuesAndNames[i + 1] + " (or give the whole body with --json FILE).");
            }
        }
    }

    static <T> T body(ClientCommand.Session session, String file, String id, Class<T> type, String noun) {
        try {
            return JsonBodies.read(file, session.stdin(), id, type, noun, session.printer().err());
        } catch (IllegalArgumentException unusable) {
            throw session.usage(unusable.getMessage());
        }
    }
}
