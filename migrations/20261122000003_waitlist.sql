-- Waitlist queue, offer notifications and offer flows (seed 001 tables, fixed).
-- Positions are not stored: position = 1 + active entries of the session with a smaller id
-- (joins are serialized per session), so they are contiguous by construction (W4).

CREATE TABLE `waitlist` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `profile_id` BIGINT NOT NULL,
  `course_schedule_id` BIGINT NOT NULL,
  `booking_date` DATE NOT NULL,
  `status` ENUM('waiting', 'notified', 'confirmed', 'expired', 'cancelled') NOT NULL DEFAULT 'waiting',
  `pending_makeup_id` BIGINT NULL COMMENT 'set when joined from a makeup selection (M3)',
  `joined_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `last_notified_at` DATETIME(3) NULL,
  `confirmed_at` DATETIME(3) NULL,
  `booking_id` BIGINT NULL COMMENT 'the booking a won offer created',
  `ended_at` DATETIME(3) NULL COMMENT 'left, expired or confirmed',
  `expiration_reason` ENUM('timeout', 'cutoff', 'user_cancelled', 'manual_cancel', 'system_error') NULL,
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  -- one active entry per child and session (W3); ended entries do not block a new join
  `active_flag` TINYINT AS (IF(`status` IN ('waiting', 'notified'), 1, NULL)) STORED,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_waitlist_active` (`profile_id`, `course_schedule_id`, `booking_date`, `active_flag`),
  KEY `idx_waitlist_queue` (`course_schedule_id`, `booking_date`, `status`, `id`),
  KEY `idx_waitlist_profile` (`profile_id`, `status`),
  CONSTRAINT `fk_waitlist_profile` FOREIGN KEY (`profile_id`) REFERENCES `profile` (`id`),
  CONSTRAINT `fk_waitlist_schedule` FOREIGN KEY (`course_schedule_id`) REFERENCES `course_schedule` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='候补表';

CREATE TABLE `waitlist_notification` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `waitlist_id` BIGINT NOT NULL,
  `offer_workflow_id` VARCHAR(191) NULL COMMENT 'the WaitlistOfferWorkflow that sent it',
  `notification_type` ENUM('spot_available', 'seat_taken', 'hold_for_you', 'offer_expired',
    'waitlist_expired', 'position_changed') NOT NULL,
  `notification_round` INT NOT NULL DEFAULT 1,
  `sent_time` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `response_deadline` DATETIME(3) NULL,
  `response_time` DATETIME(3) NULL,
  `response` ENUM('begin', 'confirm', 'decline') NULL,
  `status` ENUM('sent', 'responded', 'expired', 'cancelled') NOT NULL DEFAULT 'sent',
  `message_content` TEXT NULL,
  `notification_data` TEXT NULL COMMENT 'JSON',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  -- idempotency of the notify activity: one record per offer, entry, round and type
  UNIQUE KEY `uk_waitlist_notification_once` (`offer_workflow_id`, `waitlist_id`, `notification_round`, `notification_type`),
  KEY `idx_notification_waitlist` (`waitlist_id`, `status`),
  KEY `idx_notification_deadline` (`status`, `response_deadline`),
  CONSTRAINT `fk_notification_waitlist` FOREIGN KEY (`waitlist_id`) REFERENCES `waitlist` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='候补通知表';

-- One row per offer (a released seat), from release to its outcome (O8).
CREATE TABLE `waitlist_flow` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `workflow_id` VARCHAR(191) NOT NULL,
  `course_schedule_id` BIGINT NOT NULL,
  `booking_date` DATE NOT NULL,
  `release_reason` ENUM('cancel', 'leave', 'capacity', 'manual') NOT NULL,
  `seats` INT NOT NULL DEFAULT 1,
  `phase` ENUM('broadcast', 'hold', 'won', 'exhausted', 'cutoff') NOT NULL DEFAULT 'broadcast',
  `waitlist_notification_id` BIGINT NULL COMMENT 'latest notification of this flow',
  `winner_waitlist_id` BIGINT NULL,
  `flow_start_time` DATETIME(3) NOT NULL,
  `response_deadline` DATETIME(3) NULL,
  `flow_completion_time` DATETIME(3) NULL,
  `expiration_reason` ENUM('timeout', 'user_cancelled', 'system_error', 'manual_cancel', 'cutoff', 'queue_empty') NULL,
  `flow_data` TEXT NULL COMMENT 'JSON',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_flow_workflow` (`workflow_id`),
  KEY `idx_flow_session` (`course_schedule_id`, `booking_date`),
  KEY `idx_flow_due` (`phase`, `response_deadline`),
  KEY `idx_flow_start` (`flow_start_time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='候补流程表';
