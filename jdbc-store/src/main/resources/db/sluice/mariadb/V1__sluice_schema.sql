-- Sluice job store, MariaDB 10.6+ and MySQL 8.0+ (InnoDB). ${prefix} is the table prefix (default sluice_):
-- with Flyway set the placeholder "prefix"; with Liquibase the changelog property "prefix". Tables go to the
-- current database.
--
-- Codes: state 0 WAITING, 1 SCHEDULED, 2 READY, 3 RUNNING, 4 SUCCEEDED, 5 DEAD, 6 CANCELLED;
-- priority 0 LOW, 1 NORMAL, 2 HIGH, 3 CRITICAL. Times are epoch milliseconds (BIGINT). Job ids are the 16
-- bytes of the UUID, most significant first, so that byte order is id order.
-- due_at: when the job is (or becomes) ready; sort_key = due_at - priority * aging step (the claim order).

CREATE TABLE IF NOT EXISTS `${prefix}job` (
    id               BINARY(16)    NOT NULL PRIMARY KEY,
    queue            VARCHAR(64)   NOT NULL,
    state            SMALLINT      NOT NULL,
    sort_key         BIGINT        NOT NULL,
    due_at           BIGINT        NOT NULL,
    priority         SMALLINT      NOT NULL,
    type             VARCHAR(128)  NOT NULL,
    tenant           VARCHAR(255),
    unique_key       VARCHAR(255),
    -- the unique key while the job is live (not finished), else NULL: a unique index on it keeps one live
    -- holder per key (no partial indexes here)
    live_key         VARCHAR(255)  GENERATED ALWAYS AS (CASE WHEN state < 4 THEN unique_key END) STORED,
    -- the queue while the job waits (SCHEDULED or READY), else NULL: the claim index below then holds waiting
    -- jobs only and serves ORDER BY sort_key, so SKIP LOCKED locks just the rows a claim takes (a filesort
    -- would lock every candidate first)
    ready_queue      VARCHAR(64)   GENERATED ALWAYS AS (CASE WHEN state IN (1, 2) THEN queue END) STORED,
    attempts         INT           NOT NULL DEFAULT 0,
    max_attempts     INT           NOT NULL,
    timeout_millis   BIGINT        NOT NULL,
    fencing_token    BIGINT        NOT NULL DEFAULT 0,
    lease_owner      VARCHAR(255),
    lease_expires_at BIGINT,
    cancel_requested BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at       BIGINT        NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    last_error       MEDIUMTEXT,
    payload          LONGBLOB      NOT NULL,
    INDEX `${prefix}job_claim_idx` (ready_queue, sort_key, id),
    INDEX `${prefix}job_lease_idx` (state, lease_expires_at),
    UNIQUE INDEX `${prefix}job_live_key_idx` (live_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `${prefix}job_progress` (
    id         BINARY(16) NOT NULL PRIMARY KEY,
    progress   DOUBLE     NOT NULL,
    checkpoint LONGBLOB
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS `${prefix}job_result` (
    id     BINARY(16) NOT NULL PRIMARY KEY,
    result LONGBLOB
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS `${prefix}queue_pause` (
    queue     VARCHAR(64) NOT NULL PRIMARY KEY,
    paused_at BIGINT      NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Fencing tokens: a claim adds the number of tokens it takes (MySQL 8 has no sequences).
CREATE TABLE IF NOT EXISTS `${prefix}fencing_token` (
    id         TINYINT NOT NULL PRIMARY KEY,
    last_token BIGINT  NOT NULL
) ENGINE = InnoDB;

INSERT IGNORE INTO `${prefix}fencing_token` (id, last_token) VALUES (1, 0);
