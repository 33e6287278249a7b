-- Training camps with deposits refunded on check-ins (seed 004). A camp's days run from
-- `starts_at` (midnight club time of start_date) in steps of `day_seconds` (86400; tests use
-- seconds); the offsets place the nightly sync (01:00), the reminder (10:00 on the eve of the
-- last day) and the refund list (02:00 after the end).

CREATE TABLE `camp` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(100) NOT NULL,
  `start_date` DATE NOT NULL COMMENT 'club time zone',
  `end_date` DATE NOT NULL,
  `days` INT NOT NULL,
  `starts_at` DATETIME(3) NOT NULL COMMENT 'UTC instant of day 1',
  `day_seconds` INT NOT NULL DEFAULT 86400,
  `sync_offset_seconds` INT NOT NULL DEFAULT 3600,
  `reminder_offset_seconds` INT NOT NULL DEFAULT 36000,
  `settle_offset_seconds` INT NOT NULL DEFAULT 7200,
  `deposit_cents` BIGINT NOT NULL,
  `capacity` INT NOT NULL,
  `required_days` INT NOT NULL COMMENT 'check-in days needed for the deposit back',
  `group_qr_url` VARCHAR(500) NOT NULL COMMENT 'shown to paid members only',
  `community_project_id` VARCHAR(64) NOT NULL COMMENT '知识星球 check-in project',
  `status` ENUM('draft', 'published', 'review') NOT NULL DEFAULT 'draft',
  `published_at` DATETIME(3) NULL,
  `created_by` BIGINT NOT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_camp_status` (`status`, `starts_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='training camps';

-- One per member and camp. A seat is held while `reserved` or `paid`; an unpaid attempt that
-- closed becomes `released` and the next attempt reuses the row with attempt + 1.
CREATE TABLE `camp_enrolment` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `camp_id` BIGINT NOT NULL,
  `user_id` BIGINT NOT NULL,
  `status` ENUM('reserved', 'paid', 'released', 'anomaly') NOT NULL,
  `attempt` INT NOT NULL DEFAULT 1,
  `out_trade_no` VARCHAR(32) NOT NULL COMMENT 'the current attempt''s payment',
  `community_user_id` VARCHAR(64) NULL COMMENT '星球ID given at enrolment',
  `community_nickname` VARCHAR(64) NULL,
  `wechat_nickname` VARCHAR(64) NULL,
  `paid_at` DATETIME(3) NULL,
  `matched_community_user_id` VARCHAR(64) NULL,
  `match_method` VARCHAR(24) NULL COMMENT 'community_id | community_nickname | wechat_nickname | manual',
  `match_confidence` TINYINT NULL COMMENT '100 / 66 / 33',
  `checkin_days` INT NOT NULL DEFAULT 0 COMMENT 'distinct camp days with a check-in',
  `verdict` ENUM('eligible', 'not_eligible', 'unmatched') NULL COMMENT 'set by the refund list',
  `review` ENUM('pending', 'approved', 'rejected') NULL,
  `reviewed_by` BIGINT NULL,
  `reviewed_at` DATETIME(3) NULL,
  `out_refund_no` VARCHAR(64) NULL,
  `refund_state` VARCHAR(16) NULL COMMENT 'RefundWorkflow state',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_enrolment_member` (`camp_id`, `user_id`),
  UNIQUE KEY `uk_enrolment_trade_no` (`out_trade_no`),
  KEY `idx_enrolment_review` (`camp_id`, `review`),
  CONSTRAINT `fk_enrolment_camp` FOREIGN KEY (`camp_id`) REFERENCES `camp` (`id`),
  CONSTRAINT `fk_enrolment_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='camp enrolments';

-- Check-ins as the community platform (or staff's CSV import) reports them, once per member
-- and camp day.
CREATE TABLE `camp_checkin` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `camp_id` BIGINT NOT NULL,
  `community_user_id` VARCHAR(64) NOT NULL,
  `nickname` VARCHAR(64) NOT NULL,
  `day_index` INT NOT NULL COMMENT '0-based camp day',
  `checked_at` DATETIME(3) NOT NULL,
  `source` ENUM('api', 'csv') NOT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_checkin_day` (`camp_id`, `community_user_id`, `day_index`),
  CONSTRAINT `fk_checkin_camp` FOREIGN KEY (`camp_id`) REFERENCES `camp` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='community check-ins';
