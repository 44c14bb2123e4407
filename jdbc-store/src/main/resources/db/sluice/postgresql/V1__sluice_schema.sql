-- Sluice job store, PostgreSQL 12+. ${prefix} is the table prefix (default sluice_): with Flyway set the
-- placeholder "prefix"; with Liquibase the changelog property "prefix". Tables go to the current schema.
--
-- Codes: state 0 WAITING, 1 SCHEDULED, 2 READY, 3 RUNNING, 4 SUCCEEDED, 5 DEAD, 6 CANCELLED;
-- priority 0 LOW, 1 NORMAL, 2 HIGH, 3 CRITICAL. Times are epoch milliseconds (bigint).
-- due_at: when the job is (or becomes) ready; sort_key = due_at - priority * aging step (the claim order).

CREATE TABLE IF NOT EXISTS "${prefix}job" (
    id               uuid     NOT NULL PRIMARY KEY,
    queue            text     NOT NULL,
    state            smallint NOT NULL,
    sort_key         bigint   NOT NULL,
    due_at           bigint   NOT NULL,
    priority         smallint NOT NULL,
    type             text     NOT NULL,
    tenant           text,
    unique_key       text,
    attempts         integer  NOT NULL DEFAULT 0,
    max_attempts     integer  NOT NULL,
    timeout_millis   bigint   NOT NULL,
    fencing_token    bigint   NOT NULL DEFAULT 0,
    lease_owner      text,
    lease_expires_at bigint,
    cancel_requested boolean  NOT NULL DEFAULT false,
    created_at       bigint   NOT NULL,
    started_at       bigint,
    finished_at      bigint,
    last_error       text,
    payload          bytea    NOT NULL
);

-- The claim path: due jobs of a queue in sort-key order. Partial, so it holds only waiting jobs and stays
-- small however many finished jobs the table keeps.
CREATE INDEX IF NOT EXISTS "${prefix}job_claim_idx"
    ON "${prefix}job" (queue, sort_key, id) WHERE state IN (1, 2);

-- Lease recovery: running jobs by lease end.
CREATE INDEX IF NOT EXISTS "${prefix}job_lease_idx"
    ON "${prefix}job" (lease_expires_at) WHERE state = 3;

-- At most one live (not finished) job per unique key; the key is free again once its holder finishes.
CREATE UNIQUE INDEX IF NOT EXISTS "${prefix}job_unique_key_idx"
    ON "${prefix}job" (unique_key) WHERE unique_key IS NOT NULL AND state < 4;

-- Narrow side tables, so that the claim path never reads them.
CREATE TABLE IF NOT EXISTS "${prefix}job_progress" (
    id         uuid             NOT NULL PRIMARY KEY,
    progress   double precision NOT NULL,
    checkpoint bytea
);

CREATE TABLE IF NOT EXISTS "${prefix}job_result" (
    id     uuid  NOT NULL PRIMARY KEY,
    result bytea
);

CREATE TABLE IF NOT EXISTS "${prefix}queue_pause" (
    queue     text   NOT NULL PRIMARY KEY,
    paused_at bigint NOT NULL
);

-- Fencing tokens: every claim takes the next values.
CREATE SEQUENCE IF NOT EXISTS "${prefix}fencing_token_seq";
