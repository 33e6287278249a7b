-- The ★ settings of design §4. NULL means "inherit": course → course type → built-in default
-- (waitlist 8, response window 15 min, hold window 15 min, grace 2 min, cutoff 6 h,
-- credits valid 14 days, makeup cancel cutoff 6 h, extras free).

CREATE TABLE `unified_waitlist_capacity` (
  `course_type` VARCHAR(32) NOT NULL,
  `waitlist_capacity` INT NULL,
  `response_window_seconds` INT NULL,
  `hold_window_seconds` INT NULL,
  `grace_seconds` INT NULL,
  `cutoff_seconds` INT NULL,
  `compensation_valid_days` INT NULL,
  `makeup_cancel_cutoff_seconds` INT NULL,
  `extra_requires_compensation` BOOLEAN NULL,
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`course_type`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='settings per course type';

CREATE TABLE `course_waitlist_config` (
  `course_id` BIGINT NOT NULL,
  `waitlist_capacity` INT NULL,
  `response_window_seconds` INT NULL,
  `hold_window_seconds` INT NULL,
  `grace_seconds` INT NULL,
  `cutoff_seconds` INT NULL,
  `compensation_valid_days` INT NULL,
  `makeup_cancel_cutoff_seconds` INT NULL,
  `extra_requires_compensation` BOOLEAN NULL,
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`course_id`),
  CONSTRAINT `fk_course_config_course` FOREIGN KEY (`course_id`) REFERENCES `course` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='settings per course (override)';

-- VIP classes keep a shorter waitlist (seed 002, US-1).
INSERT INTO `unified_waitlist_capacity` (`course_type`, `waitlist_capacity`) VALUES ('vip', 5);
