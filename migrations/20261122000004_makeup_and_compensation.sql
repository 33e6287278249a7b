-- Pending makeups, makeup bookings, minute credits and their ledger (seed 001, fixed).

CREATE TABLE `pending_makeup` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `profile_id` BIGINT NOT NULL,
  `original_booking_id` BIGINT NOT NULL,
  `course_id` BIGINT NOT NULL,
  `course_type` VARCHAR(32) NOT NULL,
  `level` TINYINT NOT NULL,
  `duration_minutes` INT NOT NULL,
  `price_cents` INT NOT NULL,
  `status` ENUM('open', 'booked', 'closed') NOT NULL DEFAULT 'open',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_pending_original` (`original_booking_id`),
  KEY `idx_pending_profile` (`profile_id`, `status`),
  CONSTRAINT `fk_pending_profile` FOREIGN KEY (`profile_id`) REFERENCES `profile` (`id`),
  CONSTRAINT `fk_pending_booking` FOREIGN KEY (`original_booking_id`) REFERENCES `booking` (`id`),
  CONSTRAINT `fk_pending_course` FOREIGN KEY (`course_id`) REFERENCES `course` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='待补课';

CREATE TABLE `makeup_booking` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `pending_makeup_id` BIGINT NOT NULL,
  `original_booking_id` BIGINT NOT NULL,
  `booking_id` BIGINT NULL COMMENT 'the seat booking of the makeup session',
  `profile_id` BIGINT NOT NULL,
  `makeup_class_id` BIGINT NOT NULL COMMENT 'course of the makeup session',
  `makeup_schedule_id` BIGINT NOT NULL,
  `makeup_date` DATE NOT NULL,
  `status` ENUM('pending', 'confirmed', 'completed', 'cancelled', 'no_show') NOT NULL DEFAULT 'pending',
  `original_duration` INT NOT NULL,
  `makeup_duration` INT NOT NULL,
  `duration_difference` INT NOT NULL COMMENT 'original - makeup minutes',
  `completion_type` ENUM('full', 'partial', 'extra') NOT NULL DEFAULT 'full',
  `workflow_id` VARCHAR(191) NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_makeup_profile` (`profile_id`, `makeup_date`),
  KEY `idx_makeup_pending` (`pending_makeup_id`),
  KEY `idx_makeup_status` (`status`),
  CONSTRAINT `fk_makeup_pending` FOREIGN KEY (`pending_makeup_id`) REFERENCES `pending_makeup` (`id`),
  CONSTRAINT `fk_makeup_original` FOREIGN KEY (`original_booking_id`) REFERENCES `booking` (`id`),
  CONSTRAINT `fk_makeup_booking` FOREIGN KEY (`booking_id`) REFERENCES `booking` (`id`),
  CONSTRAINT `fk_makeup_profile` FOREIGN KEY (`profile_id`) REFERENCES `profile` (`id`),
  CONSTRAINT `fk_makeup_course` FOREIGN KEY (`makeup_class_id`) REFERENCES `course` (`id`),
  CONSTRAINT `fk_makeup_schedule` FOREIGN KEY (`makeup_schedule_id`) REFERENCES `course_schedule` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='补课预约表';

CREATE TABLE `class_credit_compensation` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `profile_id` BIGINT NOT NULL,
  `original_booking_id` BIGINT NOT NULL,
  `makeup_booking_id` BIGINT NULL COMMENT 'the makeup whose shortfall created it',
  `compensation_minutes` INT NOT NULL,
  `remaining_minutes` INT NOT NULL,
  `status` ENUM('available', 'used', 'expired', 'revoked') NOT NULL DEFAULT 'available',
  `created_time` DATETIME(3) NOT NULL,
  `expiry_time` DATETIME(3) NOT NULL,
  `used_time` DATETIME(3) NULL,
  `workflow_id` VARCHAR(191) NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_credit_makeup` (`makeup_booking_id`),
  KEY `idx_credit_spend_order` (`profile_id`, `status`, `expiry_time`),
  KEY `idx_credit_expiry` (`status`, `expiry_time`),
  CONSTRAINT `fk_credit_profile` FOREIGN KEY (`profile_id`) REFERENCES `profile` (`id`),
  CONSTRAINT `fk_credit_original` FOREIGN KEY (`original_booking_id`) REFERENCES `booking` (`id`),
  CONSTRAINT `fk_credit_makeup` FOREIGN KEY (`makeup_booking_id`) REFERENCES `makeup_booking` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='课时补偿表';

CREATE TABLE `compensation_usage` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `compensation_id` BIGINT NOT NULL,
  `makeup_booking_id` BIGINT NOT NULL,
  `booking_id` BIGINT NULL,
  `used_minutes` INT NOT NULL,
  `remaining_minutes` INT NOT NULL COMMENT 'left on the credit after this use',
  `usage_type` ENUM('full_use', 'partial_use') NOT NULL,
  `usage_time` DATETIME(3) NOT NULL,
  `restored_at` DATETIME(3) NULL COMMENT 'set when a cancelled makeup gave the minutes back',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_usage_once` (`compensation_id`, `makeup_booking_id`),
  KEY `idx_usage_makeup` (`makeup_booking_id`),
  CONSTRAINT `fk_usage_credit` FOREIGN KEY (`compensation_id`) REFERENCES `class_credit_compensation` (`id`),
  CONSTRAINT `fk_usage_makeup` FOREIGN KEY (`makeup_booking_id`) REFERENCES `makeup_booking` (`id`),
  CONSTRAINT `fk_usage_booking` FOREIGN KEY (`booking_id`) REFERENCES `booking` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='补偿使用记录表';

-- Append-only minute ledger (M7: created - used + restored - expired - revoked = balance).
CREATE TABLE `compensation_ledger` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `profile_id` BIGINT NOT NULL,
  `compensation_id` BIGINT NOT NULL,
  `kind` ENUM('created', 'used', 'restored', 'expired', 'revoked') NOT NULL,
  `minutes` INT NOT NULL,
  `makeup_booking_id` BIGINT NULL,
  `idempotency_key` VARCHAR(191) NOT NULL,
  `at` DATETIME(3) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_ledger_once` (`idempotency_key`),
  KEY `idx_ledger_profile` (`profile_id`, `at`),
  CONSTRAINT `fk_ledger_credit` FOREIGN KEY (`compensation_id`) REFERENCES `class_credit_compensation` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='补偿流水';
