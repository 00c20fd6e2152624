package dev.rebatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SpecComparison}: what a create sent against what the service shows. Only what was sent counts; text is
 * compared case-insensitively, durations and numbers by value.
 */
class SpecComparisonTest {

    @Test
    void whatWasSentFoundWithTheServicesAdditionsIsNoDifference() {
        assertThat(differences(
                "{'id':'job-1','priority':100,'poolInfo':{'poolId':'pool-1'}}",
                "{'id':'job-1','priority':100,'poolInfo':{'poolId':'pool-1'},'state':'active','eTag':'0x1',"
                        + "'constraints':{'maxTaskRetryCount':0},'onAllTasksComplete':'noaction'}"))
                .isEmpty();
    }

    @Test
    void textComparesCaseInsensitively() {
        // Batch accepts enum values in any case and answers in lowercase; ids are case-insensitive too.
        assertThat(differences("{'id':'Job-1','onAllTasksComplete':'terminateJob'}",
                "{'id':'job-1','onAllTasksComplete':'terminatejob'}")).isEmpty();
        assertThat(differences("{'displayName':'render'}", "{'displayName':'Render 2'}"))
                .containsExactly("displayName: sent \"render\", found \"Render 2\"");
    }

    @Test
    void durationsCompareByValue() {
        assertThat(differences("{'constraints':{'maxWallClockTime':'PT60M'}}",
                "{'constraints':{'maxWallClockTime':'PT1H'}}")).isEmpty();
        assertThat(differences("{'retentionTime':'P1D'}", "{'retentionTime':'PT24H'}")).isEmpty();
        assertThat(differences("{'retentionTime':'PT90S'}", "{'retentionTime':'PT1M30S'}")).isEmpty();
        assertThat(differences("{'constraints':{'maxWallClockTime':'PT1H'}}",
                "{'constraints':{'maxWallClockTime':'PT2H'}}"))
                .containsExactly("constraints.maxWallClockTime: sent \"PT1H\", found \"PT2H\"");
    }

    @Test
    void numbersCompareByValueAndOtherTypesExactly() {
        assertThat(differences("{'priority':1}", "{'priority':1.0}")).isEmpty();
        assertThat(differences("{'priority':1}", "{'priority':2}")).containsExactly("priority: sent 1, found 2");
        assertThat(differences("{'priority':5}", "{'priority':'5'}")).containsExactly("priority: sent 5, found \"5\"");
        assertThat(differences("{'usesTaskDependencies':true}", "{'usesTaskDependencies':false}"))
                .containsExactly("usesTaskDependencies: sent true, found false");
    }

    @Test
    void arraysCompareElementByElementAndByLength() {
        String sent = "{'metadata':[{'name':'a','value':'1'},{'name':'b','value':'2'}]}";
        assertThat(differences(sent, sent)).isEmpty();
        assertThat(differences(sent, "{'metadata':[{'name':'a','value':'1'},{'name':'b','value':'3'}]}"))
                .containsExactly("metadata[1].value: sent \"2\", found \"3\"");
        assertThat(differences(sent, "{'metadata':[{'name':'a','value':'1'}]}"))
                .containsExactly("metadata: sent [{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"b\",\"value\":\"2\"}], "
                        + "found [{\"name\":\"a\",\"value\":\"1\"}]");
        assertThat(differences("{'metadata':[]}", "{'metadata':{}}")).containsExactly("metadata: sent [], found {}");
    }

    @Test
    void aPropertySentButMissingOrNullIsADifference() {
        assertThat(differences("{'displayName':'x','poolInfo':{'poolId':'p'}}", "{}"))
                .containsExactly("displayName: sent \"x\", found nothing", "poolInfo: sent {\"poolId\":\"p\"}, found nothing");
        assertThat(differences("{'poolInfo':{'poolId':'p'}}", "{'poolInfo':{}}"))
                .containsExactly("poolInfo.poolId: sent \"p\", found nothing");
        assertThat(differences("{'displayName':'x'}", "{'displayName':null}"))
                .containsExactly("displayName: sent \"x\", found null");
    }

    @Test
    void aPropertySentAsNullIsNotCompared() {
        assertThat(differences("{'displayName':null}", "{'displayName':'set by the service'}")).isEmpty();
    }

    @Test
    void everyDifferenceIsListedInTheOrderSent() {
        assertThat(differences("{'id':'job-1','priority':1,'poolInfo':{'poolId':'a'},'displayName':'d'}",
                "{'id':'job-2','priority':1,'poolInfo':{'poolId':'b'}}"))
                .containsExactly("id: sent \"job-1\", found \"job-2\"", "poolInfo.poolId: sent \"a\", found \"b\"",
                        "displayName: sent \"d\", found nothing");
    }

    /** JSON written with single quotes for readability. */
    private static List<String> differences(String sent, String found) {
        return SpecComparison.differences(BatchBodies.read(sent.replace('\'', '"')),
                BatchBodies.read(found.replace('\'', '"')));
    }
}
