package dev.rebatch.server.faults;

import java.util.regex.Pattern;

/**
 * One rule: which requests it matches and how often it fires on them. At least one of {@code operation} and
 * {@code path} is set; exactly one of {@code probability} and {@code everyNth} is.
 *
 * @param operation   the spec operationId, e.g. {@code Job_Add}, or {@code null}
 * @param path        a glob over the request path ({@code *} one segment, {@code **} any number), or {@code null}
 * @param method      the HTTP method, or {@code null} for any
 * @param account     the authenticated account, or {@code null} for any
 * @param probability chance in [0, 1] that a matching request is faulted, or {@code null}
 * @param everyNth    fault the Nth, 2Nth, ... matching request, or {@code null}
 */
public record FaultRule(String operation, String path, String method, String account, Double probability,
        Long everyNth, FaultSpec fault) {

    /** The path glob as a regex: globs are what people write in a file, regexes are what we match with. */
    Pattern pathPattern() {
        if (path == null) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*' && i + 1 < path.length() && path.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
