// Smoke test of Rebatch with the official JavaScript client @azure/batch 10.2.0 (api-version 2022-10-01.16.0).
//
// Usage: REBATCH_ENDPOINT=http://127.0.0.1:PORT REBATCH_ACCOUNT=name REBATCH_KEY=base64 node smoke.mjs
// Prints one line per step; exits 0 when every step passed, 1 with the failing step and its error otherwise.
// The client's default pipeline retries connection errors with waits of 30 s and more, so the whole run is
// bounded by REBATCH_SMOKE_TIMEOUT_MS (default 60 s).
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { BatchServiceClient, BatchSharedKeyCredentials } = require("@azure/batch");

const endpoint = requiredEnv("REBATCH_ENDPOINT");
const account = requiredEnv("REBATCH_ACCOUNT");
const key = requiredEnv("REBATCH_KEY");
const timeoutMs = Number(process.env.REBATCH_SMOKE_TIMEOUT_MS ?? 60_000);

const watchdog = setTimeout(() => {
    console.error(`FAIL: the smoke test did not finish within ${timeoutMs} ms (current step: ${currentStep})`);
    process.exit(2);
}, timeoutMs);

let currentStep = "(none)";
const client = new BatchServiceClient(new BatchSharedKeyCredentials(account, key), endpoint);
const jobId = `js-smoke-${Date.now().toString(36)}`;
const poolId = "js-pool";

async function step(name, action) {
    currentStep = name;
    const started = Date.now();
    await action();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
}

/** Runs action, which must be rejected with the given HTTP status and Batch error code. */
async function expectBatchError(action, statusCode, code) {
    let error;
    try {
        await action();
    } catch (e) {
        error = e;
    }
    assert.ok(error, `expected ${statusCode} ${code}, but the call succeeded`);
    assert.equal(error.statusCode, statusCode, `status of ${describe(error)}`);
    assert.equal(error.code, code, `error code of ${describe(error)}`);
    assert.ok(error.body?.message?.value, `error body has a message: ${describe(error)}`);
}

async function main() {
    console.log(`@azure/batch smoke test against ${endpoint} (account ${account}, job ${jobId})`);

    await step("create job", async () => {
        const response = await client.job.add({ id: jobId, poolInfo: { poolId }, priority: 10 });
        assert.equal(response._response.status, 201);
        assert.match(response.eTag ?? "", /^0x/, "ETag header");
        assert.ok(response.lastModified instanceof Date, "Last-Modified header parses as a date");
        assert.ok(response.dataServiceId, "DataServiceId header");
    });

    await step("get job", async () => {
        const job = await client.job.get(jobId);
        assert.equal(job.id, jobId);
        assert.equal(job.state, "active");
        assert.equal(job.poolInfo?.poolId, poolId);
        assert.equal(job.priority, 10);
        assert.match(job.eTag ?? "", /^0x/);
        assert.ok(job.creationTime instanceof Date && !isNaN(job.creationTime), "creationTime is a date");
        assert.ok(job.lastModified instanceof Date && !isNaN(job.lastModified), "lastModified is a date");
        assert.equal(job.url, `${endpoint}/jobs/${jobId}`);
    });

    await step("list jobs", async () => {
        const jobs = await client.job.list();
        assert.ok(Array.isArray(jobs));
        assert.ok(jobs.some((j) => j.id === jobId), `the job is listed among ${jobs.map((j) => j.id)}`);
    });

    await step("patch job priority", async () => {
        const response = await client.job.patch(jobId, { priority: 20 });
        assert.equal(response._response.status, 200);
        assert.equal((await client.job.get(jobId)).priority, 20);
    });

    await step("update job (PUT) with constraints", async () => {
        const response = await client.job.update(jobId, {
            poolInfo: { poolId },
            priority: 30,
            constraints: { maxTaskRetryCount: 2 },
        });
        assert.equal(response._response.status, 200);
        const job = await client.job.get(jobId);
        assert.equal(job.priority, 30);
        assert.equal(job.constraints?.maxTaskRetryCount, 2);
    });

    await step("disable and enable job", async () => {
        assert.equal((await client.job.disable(jobId, "requeue"))._response.status, 202);
        assert.equal((await client.job.get(jobId)).state, "disabled");
        assert.equal((await client.job.enable(jobId))._response.status, 202);
        assert.equal((await client.job.get(jobId)).state, "active");
    });

    await step("list jobs one per page with listNext", async () => {
        await client.job.add({ id: `${jobId}-b`, poolInfo: { poolId } });
        const ids = [];
        let page = await client.job.list({ jobListOptions: { maxResults: 1, filter: `startswith(id, '${jobId}')` } });
        ids.push(...page.map((j) => j.id));
        for (let pages = 1; page.odatanextLink; pages++) {
            assert.ok(pages < 10, "paging ends");
            assert.equal(page.length, 1);
            page = await client.job.listNext(page.odatanextLink);
            ids.push(...page.map((j) => j.id));
        }
        assert.deepEqual(ids.sort(), [jobId, `${jobId}-b`].sort());
    });

    await step("terminate job without a reason -> UserTerminate", async () => {
        // azure-batch 11.2.0 (Java) refuses this client-side ("Body parameter value must not be null").
        assert.equal((await client.job.terminate(`${jobId}-b`))._response.status, 202);
        const job = await client.job.get(`${jobId}-b`);
        assert.equal(job.executionInfo?.terminateReason, "UserTerminate");
        assert.equal((await client.job.deleteMethod(`${jobId}-b`))._response.status, 202);
    });

    await step("wrong key -> 403 AuthenticationFailed", async () => {
        const wrongKey = Buffer.from("not-the-key-of-this-account-000000").toString("base64");
        const stranger = new BatchServiceClient(new BatchSharedKeyCredentials(account, wrongKey), endpoint);
        await expectBatchError(() => stranger.job.get(jobId), 403, "AuthenticationFailed");
    });

    // Certificates are deprecated in Batch; Rebatch answers 501 for them (pools may be implemented meanwhile).
    await step("unimplemented operation (certificate list) -> 501 NotImplemented", async () => {
        await expectBatchError(() => client.certificate.list(), 501, "NotImplemented");
    });

    await step("add task", async () => {
        const response = await client.task.add(jobId, { id: "task-1", commandLine: "/bin/sh -c 'echo one'" });
        assert.equal(response._response.status, 201);
        assert.match(response.eTag ?? "", /^0x/, "ETag header");
    });

    await step("add task collection of 3", async () => {
        const tasks = ["task-2", "task-3", "task-4"].map((id) => ({ id, commandLine: `echo ${id}` }));
        const result = await client.task.addCollection(jobId, tasks);
        assert.equal(result.value?.length, 3, `results: ${JSON.stringify(result.value)}`);
        for (const added of result.value) {
            assert.equal(added.status, "success", `add result ${JSON.stringify(added)}`);
            assert.match(added.eTag ?? "", /^0x/);
        }
        assert.deepEqual(result.value.map((r) => r.taskId).sort(), ["task-2", "task-3", "task-4"]);
    });

    await step("list tasks", async () => {
        const tasks = await client.task.list(jobId);
        assert.deepEqual(tasks.map((t) => t.id).sort(), ["task-1", "task-2", "task-3", "task-4"]);
        const first = tasks.find((t) => t.id === "task-1");
        assert.equal(first.state, "active");
        assert.equal(first.commandLine, "/bin/sh -c 'echo one'");
        assert.ok(first.creationTime instanceof Date && !isNaN(first.creationTime), "creationTime is a date");
    });

    await step("list tasks with $filter and $select, get task", async () => {
        const tasks = await client.task.list(jobId, { taskListOptions: { filter: "id eq 'task-2'", select: "id,state" } });
        assert.deepEqual(tasks.map((t) => t.id), ["task-2"]);
        const task = await client.task.get(jobId, "task-2");
        assert.equal(task.commandLine, "echo task-2");
        assert.match(task.eTag ?? "", /^0x/);
        assert.ok(task.stateTransitionTime instanceof Date && !isNaN(task.stateTransitionTime));
    });

    await step("update task constraints", async () => {
        const response = await client.task.update(jobId, "task-3", { constraints: { maxTaskRetryCount: 1 } });
        assert.equal(response._response.status, 200);
        assert.equal((await client.task.get(jobId, "task-3")).constraints?.maxTaskRetryCount, 1);
    });

    await step("get task counts", async () => {
        const counts = await client.job.getTaskCounts(jobId);
        assert.equal(counts.taskCounts.active, 4, `counts ${JSON.stringify(counts.taskCounts)}`);
        assert.equal(counts.taskCounts.completed, 0);
        assert.equal(counts.taskCounts.running, 0);
    });

    await step("terminate task", async () => {
        const response = await client.task.terminate(jobId, "task-1");
        assert.equal(response._response.status, 204);
        const task = await client.task.get(jobId, "task-1");
        assert.equal(task.state, "completed");
        assert.equal(task.executionInfo?.result, "failure");
        assert.equal(task.executionInfo?.failureInfo?.category, "usererror");
        assert.equal(task.executionInfo?.failureInfo?.code, "TaskEnded");
    });

    await step("terminate job", async () => {
        const response = await client.job.terminate(jobId, { terminateReason: "smoke test done" });
        assert.equal(response._response.status, 202);
        const job = await client.job.get(jobId);
        assert.ok(["terminating", "completed"].includes(job.state), `state after terminate: ${job.state}`);
        assert.equal(job.executionInfo?.terminateReason, "smoke test done");
    });

    await step("create the same job again -> 409 JobExists", async () => {
        await expectBatchError(() => client.job.add({ id: jobId, poolInfo: { poolId } }), 409, "JobExists");
    });

    await step("get a missing job -> 404 JobNotFound", async () => {
        await expectBatchError(() => client.job.get(`${jobId}-missing`), 404, "JobNotFound");
    });

    await step("delete job", async () => {
        const response = await client.job.deleteMethod(jobId);
        assert.equal(response._response.status, 202);
        try {
            const job = await client.job.get(jobId);
            assert.equal(job.state, "deleting", `after delete the job is gone or deleting, not ${job.state}`);
        } catch (e) {
            assert.equal(e.statusCode, 404, `after delete: ${describe(e)}`);
        }
    });
}

function requiredEnv(name) {
    const value = process.env[name];
    if (!value) {
        console.error(`FAIL: environment variable ${name} is not set`);
        process.exit(1);
    }
    return value;
}

function describe(error) {
    if (error?.statusCode !== undefined) {
        return `HTTP ${error.statusCode} ${error.code ?? ""}: ${error.message} ${JSON.stringify(error.body ?? null)}`;
    }
    return error?.stack ?? String(error);
}

try {
    await main();
    clearTimeout(watchdog);
    console.log("PASS: all steps succeeded");
    process.exit(0);
} catch (error) {
    clearTimeout(watchdog);
    console.error(`FAIL at step "${currentStep}": ${describe(error)}`);
    process.exit(1);
}
