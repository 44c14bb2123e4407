-- Sluice job store, H2 2.x: the optional shared capabilities (ResultCacheStore, SharedRateLimits). Runs after V2,
-- with the same placeholder ${prefix}. Adds tables only. Times are epoch milliseconds on the store's clock.

-- Second level of the result cache: one row per (job type, SHA-256 of the caller's key), replaced by a later save.
-- null_result marks a handler that returned null (a hit), so that it never depends on how a driver stores an empty
-- result. Rows past expires_at are never served; saves delete them in bounded batches through the expiry index.
CREATE TABLE IF NOT EXISTS "${prefix}result_cache" (
    type        VARCHAR(128) NOT NULL,
    key_hash    BINARY(32)   NOT NULL,
    null_result BOOLEAN      NOT NULL,
    result      BINARY LARGE OBJECT,
    expires_at  BIGINT       NOT NULL,
    PRIMARY KEY (type, key_hash)
);

CREATE INDEX IF NOT EXISTS "${prefix}cache_expiry_idx" ON "${prefix}result_cache" (expires_at);

-- Shared rate limits: one row per limit, the start of its current window (a multiple of the period from the epoch),
-- the permits granted in it, and what the latest take granted.
CREATE TABLE IF NOT EXISTS "${prefix}rate_window" (
    limit_name   VARCHAR(255) NOT NULL PRIMARY KEY,
    window_start BIGINT       NOT NULL,
    used         INTEGER      NOT NULL,
    last_granted INTEGER      NOT NULL
);
