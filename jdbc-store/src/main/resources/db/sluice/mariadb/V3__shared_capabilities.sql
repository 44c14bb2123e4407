-- Sluice job store, MariaDB 10.6+ and MySQL 8.0+: the optional shared capabilities (ResultCacheStore,
-- SharedRateLimits). Runs after V2, with the same placeholder ${prefix}. Adds tables only. Times are epoch
-- milliseconds on the store's clock.

-- Second level of the result cache: one row per (job type, SHA-256 of the caller's key), replaced by a later save.
-- null_result marks a handler that returned null (a hit), so that it never depends on how a driver stores an empty
-- result. Rows past expires_at are never served; saves delete them in bounded batches through the expiry index.
CREATE TABLE IF NOT EXISTS `${prefix}result_cache` (
    type        VARCHAR(128) NOT NULL,
    key_hash    BINARY(32)   NOT NULL,
    null_result BOOLEAN      NOT NULL,
    result      LONGBLOB,
    expires_at  BIGINT       NOT NULL,
    PRIMARY KEY (type, key_hash),
    INDEX `${prefix}cache_expiry_idx` (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Shared rate limits: one row per limit, the start of its current window (a multiple of the period from the epoch),
-- the permits granted in it, and what the latest take granted.
CREATE TABLE IF NOT EXISTS `${prefix}rate_window` (
    limit_name   VARCHAR(255) NOT NULL PRIMARY KEY,
    window_start BIGINT       NOT NULL,
    used         INT          NOT NULL,
    last_granted INT          NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
