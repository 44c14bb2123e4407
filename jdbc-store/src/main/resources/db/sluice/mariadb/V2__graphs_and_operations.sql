-- Sluice job store, MariaDB 10.6+ and MySQL 8.0+: dependency graphs, operations and unique-key scopes. Runs after
-- V1, with the same placeholder ${prefix}. Adds tables only: MySQL 8 has no ADD COLUMN / CREATE INDEX ... IF NOT
-- EXISTS, and the scripts must stay safe to run on every start.
--
-- Codes: state as in V1; on_failure 0 CANCEL_DEPENDENTS, 1 RUN_DEPENDENTS, 2 IGNORE. Times are epoch milliseconds.
-- Job ids are BINARY(16) as in V1.

-- Edges of dependency graphs: child waits for parent. "settled" turns true once, in the transaction that ends the
-- parent (or when the child is stored, for a parent that had ended already).
CREATE TABLE IF NOT EXISTS `${prefix}job_edge` (
    parent       BINARY(16) NOT NULL,
    child        BINARY(16) NOT NULL,
    parent_index INT        NOT NULL,
    on_failure   SMALLINT   NOT NULL,
    settled      BOOLEAN    NOT NULL DEFAULT FALSE,
    PRIMARY KEY (parent, child),
    INDEX `${prefix}job_edge_child_idx` (child, parent_index)
) ENGINE = InnoDB;

-- How many parents a WAITING job still waits for; it becomes READY (or SCHEDULED) when this reaches 0.
CREATE TABLE IF NOT EXISTS `${prefix}job_wait` (
    id              BINARY(16) NOT NULL PRIMARY KEY,
    pending_parents INT        NOT NULL
) ENGINE = InnoDB;

-- Audit trail: state transitions, appended and never changed; seq orders entries of the same millisecond.
CREATE TABLE IF NOT EXISTS `${prefix}job_history` (
    seq         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id      BINARY(16)   NOT NULL,
    happened_at BIGINT       NOT NULL,
    from_state  SMALLINT,
    to_state    SMALLINT     NOT NULL,
    attempt     INT          NOT NULL,
    node        VARCHAR(255),
    error       MEDIUMTEXT,
    INDEX `${prefix}job_history_job_idx` (job_id, happened_at, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Recurring jobs: the latest fire stored per schedule.
CREATE TABLE IF NOT EXISTS `${prefix}schedule_fire` (
    schedule_id VARCHAR(255) NOT NULL PRIMARY KEY,
    last_fire   BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Leader leases, one row per role; owner_node is NULL after a resign. The token only grows.
CREATE TABLE IF NOT EXISTS `${prefix}leader` (
    role_name     VARCHAR(255) NOT NULL PRIMARY KEY,
    owner_node    VARCHAR(255),
    fencing_token BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Node registry: one row per engine, renewed by its heartbeats.
CREATE TABLE IF NOT EXISTS `${prefix}node` (
    node_id    VARCHAR(255) NOT NULL PRIMARY KEY,
    host       VARCHAR(255) NOT NULL,
    started_at BIGINT       NOT NULL,
    last_seen  BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL,
    workers    INT          NOT NULL,
    running    INT          NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Unique keys with a scope or a hold (only jobs that asked for one have a row): WHILE_WAITING jobs give their key
-- up at their first claim (the claim sets the job's unique_key to NULL; the key stays here for reads and a retry
-- by hand), and jobs with hold_millis > 0 hold their key on after success through unique_hold.
CREATE TABLE IF NOT EXISTS `${prefix}job_unique` (
    id            BINARY(16)   NOT NULL PRIMARY KEY,
    unique_key    VARCHAR(255) NOT NULL,
    while_waiting BOOLEAN      NOT NULL,
    hold_millis   BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Keys held on after their job SUCCEEDED, until held_until on the store's clock (expired rows count as free).
CREATE TABLE IF NOT EXISTS `${prefix}unique_hold` (
    unique_key VARCHAR(255) NOT NULL PRIMARY KEY,
    holder     BINARY(16)   NOT NULL,
    held_until BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
