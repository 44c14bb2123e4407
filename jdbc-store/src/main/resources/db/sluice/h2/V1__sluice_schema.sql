-- Sluice job store, H2 2.x. ${prefix} is the table prefix (default sluice_): with Flyway set the placeholder
-- "prefix"; with Liquibase the changelog property "prefix". Tables go to the current schema.
--
-- Codes: state 0 WAITING, 1 SCHEDULED, 2 READY, 3 RUNNING, 4 SUCCEEDED, 5 DEAD, 6 CANCELLED;
-- priority 0 LOW, 1 NORMAL, 2 HIGH, 3 CRITICAL. Times are epoch milliseconds (BIGINT).
-- due_at: when the job is (or becomes) ready; sort_key = due_at - priority * aging step (the claim order).

CREATE TABLE IF NOT EXISTS "${prefix}job" (
    id               UUID          NOT NULL PRIMARY KEY,
    queue            VARCHAR(64)   NOT NULL,
    state            SMALLINT      NOT NULL,
    sort_key         BIGINT        NOT NULL,
    due_at           BIGINT        NOT NULL,
    priority         SMALLINT      NOT NULL,
    type             VARCHAR(128)  NOT NULL,
    tenant           VARCHAR(256),
    unique_key       VARCHAR(256),
    -- the unique key while the job is live (not finished), else NULL: a unique index on it keeps one live
    -- holder per key (H2 has no partial indexes)
    live_key         VARCHAR(256)  GENERATED ALWAYS AS (CASE WHEN state < 4 THEN unique_key END),
    attempts         INTEGER       DEFAULT 0 NOT NULL,
    max_attempts     INTEGER       NOT NULL,
    timeout_millis   BIGINT        NOT NULL,
    fencing_token    BIGINT        DEFAULT 0 NOT NULL,
    lease_owner      VARCHAR(256),
    lease_expires_at BIGINT,
    cancel_requested BOOLEAN       DEFAULT FALSE NOT NULL,
    created_at       BIGINT        NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    last_error       CHARACTER LARGE OBJECT,
    payload          BINARY LARGE OBJECT NOT NULL
);

CREATE INDEX IF NOT EXISTS "${prefix}job_claim_idx" ON "${prefix}job" (queue, state, sort_key, id);
CREATE INDEX IF NOT EXISTS "${prefix}job_lease_idx" ON "${prefix}job" (state, lease_expires_at);
CREATE UNIQUE INDEX IF NOT EXISTS "${prefix}job_live_key_idx" ON "${prefix}job" (live_key);

CREATE TABLE IF NOT EXISTS "${prefix}job_progress" (
    id         UUID             NOT NULL PRIMARY KEY,
    progress   DOUBLE PRECISION NOT NULL,
    checkpoint BINARY LARGE OBJECT
);

CREATE TABLE IF NOT EXISTS "${prefix}job_result" (
    id     UUID NOT NULL PRIMARY KEY,
    result BINARY LARGE OBJECT
);

CREATE TABLE IF NOT EXISTS "${prefix}queue_pause" (
    queue     VARCHAR(64) NOT NULL PRIMARY KEY,
    paused_at BIGINT      NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS "${prefix}fencing_token_seq";
