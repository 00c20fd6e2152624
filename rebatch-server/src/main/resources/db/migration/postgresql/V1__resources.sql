-- One table holds every Batch resource (pools, jobs, tasks, nodes). The key columns hold lowercased ids, because
-- Batch ids are case-insensitive; id and parent_id keep the spelling the client used.
-- parent_key and id_key use the "C" collation: byte order is the same order the embedded databases use, it is
-- the cheapest to compare, and paging ("id_key > last id of the previous page") needs only a total order.
CREATE TABLE resources (
    account               TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    parent_key            TEXT    COLLATE "C" NOT NULL,
    id_key                TEXT    COLLATE "C" NOT NULL,
    parent_id             TEXT    NOT NULL,
    id                    TEXT    NOT NULL,
    state                 TEXT    NOT NULL,
    body                  TEXT    NOT NULL,
    version               BIGINT  NOT NULL,
    creation_time         BIGINT  NOT NULL,
    last_modified         BIGINT  NOT NULL,
    state_transition_time BIGINT  NOT NULL,
    exit_code             INTEGER NULL,
    execution_result      TEXT    NULL,
    create_request_id     TEXT    NULL,
    -- Also the index every list walks: equality on the first three, range and order on id_key.
    PRIMARY KEY (account, kind, parent_key, id_key)
);

-- Lists filtered on state (the common "state eq 'active'") read in id order from here, and countByState
-- counts from the index alone.
CREATE INDEX resources_by_state ON resources (account, kind, parent_key, state, id_key);

-- countByResult, and filters on executionInfo/result.
CREATE INDEX resources_by_result ON resources (account, kind, parent_key, execution_result);
