-- One table holds every Batch resource (pools, jobs, tasks, nodes). The key columns hold lowercased ids, because
-- Batch ids are case-insensitive; id and parent_id keep the spelling the client used.
-- CHARACTER VARYING, not TEXT: in H2 TEXT is a CLOB, stored out of line and not indexable. H2 compares
-- strings by code unit, so id order is the same as in the other databases.
CREATE TABLE resources (
    account               CHARACTER VARYING NOT NULL,
    kind                  CHARACTER VARYING NOT NULL,
    parent_key            CHARACTER VARYING NOT NULL,
    id_key                CHARACTER VARYING NOT NULL,
    parent_id             CHARACTER VARYING NOT NULL,
    id                    CHARACTER VARYING NOT NULL,
    state                 CHARACTER VARYING NOT NULL,
    body                  CHARACTER VARYING NOT NULL,
    version               BIGINT            NOT NULL,
    creation_time         BIGINT            NOT NULL,
    last_modified         BIGINT            NOT NULL,
    state_transition_time BIGINT            NOT NULL,
    exit_code             INTEGER           NULL,
    execution_result      CHARACTER VARYING NULL,
    create_request_id     CHARACTER VARYING NULL,
    -- Also the index every list walks: equality on the first three, range and order on id_key.
    PRIMARY KEY (account, kind, parent_key, id_key)
);

-- Lists filtered on state read in id order from here; countByState counts from it.
CREATE INDEX resources_by_state ON resources (account, kind, parent_key, state, id_key);

-- countByResult, and filters on the execution result.
CREATE INDEX resources_by_result ON resources (account, kind, parent_key, execution_result);
