-- Sluice job store, PostgreSQL 12+: the optional shared capabilities (ResultCacheStore, SharedRateLimits). Runs
-- after V2, with the same placeholder ${prefix}. Adds tables only. Times are epoch milliseconds on the store's clock.

-- Second level of the result cache: one row per (job type, SHA-256 of the caller's key), replaced by a later save.
-- null_result marks a handler that returned null (a hit), so that it never depends on how a driver stores an empty
-- result. Rows past expires_at are never served; saves delete them in bounded batches through the expiry index.
CREATE TABLE IF NOT EXISTS "${prefix}result_cache" (
    type        text    NOT NULL,
    key_hash    bytea   NOT NULL,
    null_result boolean NOT NULL,
    result      bytea,
    expires_at  bigint  NOT NULL,
    PRIMARY KEY (type, key_hash)
);

CREATE INDEX IF NOT EXISTS "${prefix}cache_expiry_idx" ON "${prefix}result_cache" (expires_at);

-- Shared rate limits: one row per limit, the start of its current window (a multiple of the period from the epoch),
-- the permits granted in it, and what the latest take granted (read back by the one-statement take).
CREATE TABLE IF NOT EXISTS "${prefix}rate_window" (
    limit_name   text    NOT NULL PRIMARY KEY,
    window_start bigint  NOT NULL,
    used         integer NOT NULL,
    last_granted integer NOT NULL
);
