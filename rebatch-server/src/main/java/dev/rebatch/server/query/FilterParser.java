package dev.rebatch.server.query;

import dev.rebatch.server.query.FilterExpr.And;
import dev.rebatch.server.query.FilterExpr.Comparison;
import dev.rebatch.server.query.FilterExpr.Not;
import dev.rebatch.server.query.FilterExpr.Or;
import dev.rebatch.server.query.FilterExpr.StartsWith;
import java.time.Instant;
import java.util.List;

/**
 * Recursive-descent parser for the {@code $filter} subset Batch clients send:
 *
 * <pre>
 * filter     := or END
 * or         := and ( 'or' and )*
 * and        := unary ( 'and' unary )*
 * unary      := 'not' unary | primary
 * primary    := '(' or ')' | startswith | comparison
 * startswith := 'startswith' '(' property ',' string ')' [ ('eq' | 'ne') ('true' | 'false') ]
 * comparison := property ('eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le') literal
 * literal    := string | integer | datetime | 'true' | 'false'
 * </pre>
 *
 * Keywords are case-insensitive; property paths are kept as written and judged by the compiler. {@code and} binds
 * tighter than {@code or}, both associate to the left. Unlike strict OData, {@code not state eq 'active'} is read as
 * {@code not (state eq 'active')}: strict OData would apply {@code not} to {@code state} alone, which can never be
 * valid, so the only useful reading is taken.
 */
final class FilterParser {

    /** Longer filters are refused before parsing; Batch filters are a few conditions long. */
    static final int MAX_LENGTH = 2048;

    /** Deepest nesting of parentheses and {@code not}; bounds recursion so no filter can exhaust the stack. */
    static final int MAX_DEPTH = 32;

    private final List<Token> tokens;
    private int index;
    private int depth;

    private FilterParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static FilterExpr parse(String filter) {
        if (filter.length() > MAX_LENGTH) {
            throw new FilterException("filter is " + filter.length() + " characters long; at most " + MAX_LENGTH
                    + " are allowed", "", -1);
        }
        FilterParser parser = new FilterParser(FilterLexer.tokenize(filter));
        if (parser.peek().kind() == Token.Kind.END) {
            throw new FilterException("filter is empty", "", 0);
        }
        FilterExpr expr = parser.or();
        Token rest = parser.peek();
        if (rest.kind() != Token.Kind.END) {
            throw unexpected(rest, "'and', 'or' or the end of the filter");
        }
        return expr;
    }

    private FilterExpr or() {
        FilterExpr left = and();
        while (peek().isWord("or")) {
            index++;
            left = new Or(left, and());
        }
        return left;
    }

    private FilterExpr and() {
        FilterExpr left = unary();
        while (peek().isWord("and")) {
            index++;
            left = new And(left, unary());
        }
        return left;
    }

    private FilterExpr unary() {
        Token token = peek();
        if (token.isWord("not")) {
            index++;
            enter(token);
            FilterExpr operand = unary();
            depth--;
            return new Not(operand);
        }
        return primary();
    }

    private FilterExpr primary() {
        Token token = peek();
        if (token.kind() == Token.Kind.LPAREN) {
            index++;
            enter(token);
            FilterExpr inner = or();
            expect(Token.Kind.RPAREN, "')' or a continuation such as 'and'");
            depth--;
            return inner;
        }
        if (token.kind() == Token.Kind.WORD && peekAt(1).kind() == Token.Kind.LPAREN) {
            if (token.isWord("startswith")) {
                return startsWith();
            }
            throw new FilterException("unsupported function '" + token.text() + "' at position " + token.position()
                    + "; only startswith is supported", token.text(), token.position());
        }
        return comparison();
    }

    private FilterExpr startsWith() {
        index += 2; // startswith (
        String property = property();
        expect(Token.Kind.COMMA, "','");
        Token prefix = expect(Token.Kind.STRING, "a quoted prefix such as 'job-'");
        expect(Token.Kind.RPAREN, "')'");
        FilterExpr call = new StartsWith(property, (String) prefix.value());
        // Generic OData clients write startswith(id,'x') eq true; fold it away rather than reject it.
        Token next = peek();
        if (next.isWord("eq") || next.isWord("ne")) {
            index++;
            Token value = next();
            boolean expected;
            if (value.isWord("true")) {
                expected = true;
            } else if (value.isWord("false")) {
                expected = false;
            } else {
                throw unexpected(value, "true or false after startswith(...) " + next.text());
            }
            boolean negate = expected != next.isWord("eq");
            return negate ? new Not(call) : call;
        }
        return call;
    }

    private FilterExpr comparison() {
        String property = property();
        Token opToken = next();
        if (opToken.kind() != Token.Kind.WORD) {
            throw unexpected(opToken, "a comparison operator (eq, ne, gt, lt, ge, le)");
        }
        ComparisonOperator operator = ComparisonOperator.fromKeyword(opToken.text())
                .orElseThrow(() -> new FilterException("unsupported operator '" + opToken.text() + "' at position "
                        + opToken.position() + "; expected eq, ne, gt, lt, ge or le", opToken.text(),
                        opToken.position()));
        return new Comparison(property, operator, literal());
    }

    private String property() {
        Token token = next();
        if (token.kind() != Token.Kind.WORD || isReserved(token)) {
            throw unexpected(token, "a property name such as 'state'");
        }
        return token.text();
    }

    private Literal literal() {
        Token token = next();
        return switch (token.kind()) {
            case STRING -> new Literal.Text((String) token.value());
            case INTEGER -> new Literal.Int((Long) token.value());
            case DATETIME -> new Literal.DateTime((Instant) token.value());
            case WORD -> {
                if (token.isWord("true")) {
                    yield new Literal.Bool(true);
                }
                if (token.isWord("false")) {
                    yield new Literal.Bool(false);
                }
                throw unexpected(token, "a value: 'text', an integer, datetime'...', true or false");
            }
            default -> throw unexpected(token, "a value: 'text', an integer, datetime'...', true or false");
        };
    }

    private static boolean isReserved(Token token) {
        return token.isWord("and") || token.isWord("or") || token.isWord("not");
    }

    private void enter(Token token) {
        if (++depth > MAX_DEPTH) {
            throw new FilterException("filter nests parentheses and 'not' deeper than " + MAX_DEPTH + " levels at "
                    + token.describe() + " (position " + token.position() + ")", token.text(), token.position());
        }
    }

    private Token expect(Token.Kind kind, String what) {
        Token token = next();
        if (token.kind() != kind) {
            throw unexpected(token, what);
        }
        return token;
    }

    private static FilterException unexpected(Token token, String expected) {
        return new FilterException("unexpected " + token.describe() + " at position " + token.position()
                + ": expected " + expected, token.text(), token.position());
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    /** The current token, then moves on; END is never passed, so reading past it keeps returning END. */
    private Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Token.Kind.END) {
            index++;
        }
        return token;
    }
}
