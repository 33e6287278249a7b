-- Integrity (issue 11): ids unique per database, offers that hold for several people, an
-- outcome store for activities retried after their commit, makeup rules for a waitlist entry.

-- One row: this database's instance id. Every workflow id carries it, so a Temporal server
-- that has seen another database (a reset, a restore, a second dev database) never attaches a
-- new booking to a run of the old data.
CREATE TABLE `service_instance` (
  `id` TINYINT NOT NULL DEFAULT 1 COMMENT 'always 1: a single row',
  `instance_id` CHAR(12) NOT NULL COMMENT 'lowercase hex, part of every workflow id',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='this database''s identity';

INSERT INTO `service_instance` (`id`, `instance_id`)
VALUES (1, LOWER(SUBSTRING(REPLACE(UUID(), '-', ''), 1, 12)));

-- Who holds a seat of an offer in turn (O5). An offer of N seats holds for up to N people at
-- once; an entry is held by at most one offer (the unique key on the active flag).
CREATE TABLE `offer_hold` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `workflow_id` VARCHAR(191) NOT NULL,
  `waitlist_id` BIGINT NOT NULL,
  `hold_round` INT NOT NULL,
  `deadline` DATETIME(3) NOT NULL,
  `started_at` DATETIME(3) NOT NULL,
  `ended_at` DATETIME(3) NULL,
  `outcome` ENUM('confirmed', 'declined', 'lapsed', 'left', 'closed') NULL,
  `active_flag` TINYINT AS (IF(`ended_at` IS NULL, 1, NULL)) STORED,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_hold_round` (`workflow_id`, `hold_round`),
  UNIQUE KEY `uk_hold_active_entry` (`waitlist_id`, `active_flag`),
  KEY `idx_hold_flow` (`workflow_id`, `ended_at`),
  CONSTRAINT `fk_hold_waitlist` FOREIGN KEY (`waitlist_id`) REFERENCES `waitlist` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='seats held in turn';

-- An offer whose process failed for good, or was terminated: its seats went back.
ALTER TABLE `waitlist_flow`
  MODIFY COLUMN `phase` ENUM('broadcast', 'hold', 'won', 'exhausted', 'cutoff', 'failed') NOT NULL DEFAULT 'broadcast';

-- What an activity's first attempt committed, keyed by workflow id + step: a retry after the
-- commit returns exactly that (a credit's timing, an adopted makeup), never a poorer answer.
CREATE TABLE `activity_outcome` (
  `idempotency_key` VARCHAR(191) NOT NULL,
  `outcome` TEXT NOT NULL COMMENT 'JSON of the activity result',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`idempotency_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='activity results by step';

-- A waitlist entry joined from a makeup selection carries the makeup answers given at join
-- (M3 shorter class accepted, M4 extra minutes paid from credits), applied when a seat is won.
ALTER TABLE `waitlist`
  ADD COLUMN `accept_shorter` BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN `use_compensation` BOOLEAN NOT NULL DEFAULT FALSE;

-- Adjustments by staff (issue 14) and revocations on restore keep their own ledger kinds.
ALTER TABLE `compensation_ledger`
  MODIFY COLUMN `kind` ENUM('created', 'used', 'restored', 'expired', 'revoked', 'adjusted') NOT NULL;

-- The position each parent was last told (W4 join answer, `position_changed`): a parent hears
-- of a move up once per housekeeping round, never of every shuffle, never of a move down.
ALTER TABLE `waitlist`
  ADD COLUMN `last_told_position` INT NULL;
