package dev.rebatch.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StringToSignTest {

    private static final String OCP_DATE = "Tue, 29 Jul 2014 21:49:13 GMT";

    @Test
    void buildsTheWorkedExampleOfTheDocumentation() {
        SignedRequest request = new SignedRequest("GET", "/jobs", "api-version=2014-01-01.1.0&timeout=20",
                Map.of("ocp-date", OCP_DATE), 0);

        assertThat(StringToSign.of(request, "myaccount")).isEqualTo(
                "GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:Tue, 29 Jul 2014 21:49:13 GMT\n/myaccount/jobs"
                        + "\napi-version:2014-01-01.1.0\ntimeout:20");
    }

    @Test
    void signsTheStandardHeadersInTheirFixedOrder() {
        SignedRequest request = new SignedRequest("PUT", "/jobs/j", "", Map.of(
                "content-encoding", "gzip", "Content-Language", "en", "Content-MD5", "md5",
                "Content-Type", "application/json", "If-Modified-Since", "ims", "If-Match", "im",
                "If-None-Match", "inm", "If-Unmodified-Since", "ius", "Range", "bytes=0-1",
                "ocp-date", OCP_DATE), 12);

        assertThat(StringToSign.of(request, "acct")).isEqualTo(
                "PUT\ngzip\nen\n12\nmd5\napplication/json\n\nims\nim\ninm\nius\nbytes=0-1\n"
                        + "ocp-date:" + OCP_DATE + "\n/acct/jobs/j");
    }

    @Test
    void signsDateOnlyWhenThereIsNoOcpDate() {
        SignedRequest withoutOcpDate = new SignedRequest("GET", "/jobs", "", Map.of("Date", OCP_DATE), 0);

        assertThat(StringToSign.of(withoutOcpDate, "a1b")).isEqualTo(
                "GET\n\n\n\n\n\n" + OCP_DATE + "\n\n\n\n\n\n/a1b/jobs");
        assertThat(StringToSign.of(withoutOcpDate.withHeader("ocp-date", OCP_DATE), "a1b"))
                .startsWith("GET\n\n\n\n\n\n\n");
    }

    @Test
    void canonicalizesOcpHeaders() {
        SignedRequest request = new SignedRequest("GET", "/jobs", "", Map.of(
                "OCP-Range", "  bytes=0-9", "ocp-date", OCP_DATE, "Ocp-Custom", "two\r\nlines",
                "ocp-empty", "", "x-ms-client-request-id", "not signed"), 0);

        assertThat(StringToSign.of(request, "acct")).endsWith(
                "\nocp-custom:two  lines\nocp-date:" + OCP_DATE + "\nocp-range:bytes=0-9\n/acct/jobs");
        // java11.2 and .NET sign an empty ocp-* header as "name:"; js10.2 leaves it out, as the documented form does.
        assertThat(StringToSign.candidates(request, "acct"))
                .anySatisfy(s -> assertThat(s).contains("ocp-date:" + OCP_DATE + "\nocp-empty:\nocp-range:"));
    }

    @Test
    void canonicalizesTheQuery() {
        String query = "timeout=20&%24filter=state%20eq%20%27active%27&Api-Version=2024-07-01.20.0"
                + "&b=2&b=1&flag&&%24select=id%2Cstate";

        assertThat(StringToSign.canonicalQuery(query)).isEqualTo(
                "\n$filter:state eq 'active'\n$select:id,state\napi-version:2024-07-01.20.0\nb:1,2\nflag:\ntimeout:20");
    }

    @Test
    void keepsThePathAsReceived() {
        SignedRequest request = new SignedRequest("GET", "/jobs/j%201/tasks/t/files/wd%2Fout.txt", "",
                Map.of("ocp-date", OCP_DATE), 0);

        assertThat(StringToSign.of(request, "acct")).endsWith("\n/acct/jobs/j%201/tasks/t/files/wd%2Fout.txt");
    }

    @Test
    void listsTheClientVariantsOfABodilessRequestDocumentedFormFirst() {
        SignedRequest request = new SignedRequest("DELETE", "/jobs/j", "api-version=1",
                Map.of("ocp-date", OCP_DATE), 0);

        assertThat(StringToSign.candidates(request, "MyAccount")).containsExactly(
                "DELETE\n\n\n\n\n\n\n\n\n\n\n\nocp-date:" + OCP_DATE + "\n/MyAccount/jobs/j\napi-version:1",
                "DELETE\n\n\n\n\n\n\n\n\n\n\n\nocp-date:" + OCP_DATE + "\n/myaccount/jobs/j\napi-version:1",
                "DELETE\n\n\n0\n\n\n\n\n\n\n\n\nocp-date:" + OCP_DATE + "\n/MyAccount/jobs/j\napi-version:1",
                "DELETE\n\n\n0\n\n\n\n\n\n\n\n\nocp-date:" + OCP_DATE + "\n/myaccount/jobs/j\napi-version:1");
    }

    @Test
    void aBodySignsItsLengthOnly() {
        SignedRequest request = new SignedRequest("POST", "/jobs", "", Map.of("ocp-date", OCP_DATE), 42);

        assertThat(StringToSign.candidates(request, "acct"))
                .singleElement().satisfies(s -> assertThat(s).startsWith("POST\n\n\n42\n"));
    }

    @Test
    void decodesTheQueryTwiceLikeOkHttpAndJavaSdkAsAFallback() {
        assertThat(StringToSign.okHttpDecodedQuery("%24filter=a%2Bb%20c+d&x=%zz&y"))
                .isEqualTo("$filter=a+b c d&x=%zz&y");
        SignedRequest request = new SignedRequest("GET", "/jobs", "%24filter=a%2Bb",
                Map.of("ocp-date", OCP_DATE), 0);

        assertThat(StringToSign.candidates(request, "acct"))
                .anySatisfy(s -> assertThat(s).endsWith("/acct/jobs\n$filter:a+b"))
                .anySatisfy(s -> assertThat(s).endsWith("/acct/jobs\n$filter:a b"));
    }

    @Test
    void rejectsABrokenPercentEscapeInTheQuery() {
        SignedRequest request = new SignedRequest("GET", "/jobs", "%24filter=100%", Map.of(), 0);

        assertThatThrownBy(() -> StringToSign.of(request, "acct")).isInstanceOf(IllegalArgumentException.class);
    }
}
