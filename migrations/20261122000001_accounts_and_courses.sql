-- Accounts, children, courses, weekly schedules and concrete class sessions.
-- All instants are stored in UTC as DATETIME(3) (the seed's TIMESTAMP ends in 2038);
-- dates (`booking_date`) are calendar days in the club's time zone.

CREATE TABLE `user` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `role` ENUM('parent', 'admin') NOT NULL DEFAULT 'parent',
  `openid` VARCHAR(64) NULL COMMENT 'WeChat openid (parents)',
  `unionid` VARCHAR(64) NULL,
  `wechat_session_key` VARCHAR(64) NULL COMMENT 'never leaves the server',
  `username` VARCHAR(64) NULL COMMENT 'admins',
  `password_hash` VARCHAR(255) NULL COMMENT 'argon2 PHC string',
  `nickname` VARCHAR(64) NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_user_openid` (`openid`),
  UNIQUE KEY `uk_user_username` (`username`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='parents and staff';

CREATE TABLE `profile` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `user_id` BIGINT NOT NULL COMMENT 'the parent who owns this child profile',
  `name` VARCHAR(50) NOT NULL,
  `level` TINYINT NOT NULL COMMENT 'gymnastics level 1..10',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_profile_user` (`user_id`),
  CONSTRAINT `fk_profile_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='children (档案)';

CREATE TABLE `course` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(100) NOT NULL,
  `course_type` VARCHAR(32) NOT NULL COMMENT 'short code: group, vip, private, ...',
  `level` TINYINT NOT NULL,
  `duration_minutes` INT NOT NULL,
  `price_cents` INT NOT NULL COMMENT 'price in fen',
  `capacity` INT NOT NULL COMMENT 'seats per session',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_course_type_level` (`course_type`, `level`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='courses';

CREATE TABLE `course_schedule` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `course_id` BIGINT NOT NULL,
  `weekday` TINYINT NOT NULL COMMENT 'ISO 8601: 1 = Monday .. 7 = Sunday',
  `start_time` TIME NOT NULL COMMENT 'club time zone',
  `coach` VARCHAR(64) NOT NULL,
  `location` VARCHAR(100) NOT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_schedule_course` (`course_id`),
  CONSTRAINT `fk_schedule_course` FOREIGN KEY (`course_id`) REFERENCES `course` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='weekly slots';

-- One row per concrete session (schedule + date), created on first use. Every change of
-- seats or queue for a session first locks this row (SELECT ... FOR UPDATE), which
-- serializes bookings, joins and seat claims of that session.
CREATE TABLE `class_session` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `course_schedule_id` BIGINT NOT NULL,
  `booking_date` DATE NOT NULL,
  `starts_at` DATETIME(3) NOT NULL COMMENT 'UTC',
  `capacity_override` INT NULL COMMENT 'ops override of course.capacity for this session',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_session` (`course_schedule_id`, `booking_date`),
  KEY `idx_session_starts` (`starts_at`),
  CONSTRAINT `fk_session_schedule` FOREIGN KEY (`course_schedule_id`) REFERENCES `course_schedule` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='concrete sessions';

CREATE TABLE `booking` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `profile_id` BIGINT NOT NULL,
  `course_schedule_id` BIGINT NOT NULL,
  `booking_date` DATE NOT NULL,
  `status` ENUM('booked', 'cancelled', 'leave', 'attended', 'no_show') NOT NULL DEFAULT 'booked',
  `source` ENUM('direct', 'waitlist', 'makeup') NOT NULL DEFAULT 'direct',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  -- 1 while the booking holds a seat, NULL otherwise: the unique key below then allows
  -- one active booking per child and session and any number of cancelled ones.
  `active_flag` TINYINT AS (IF(`status` = 'booked', 1, NULL)) STORED,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_booking_active` (`profile_id`, `course_schedule_id`, `booking_date`, `active_flag`),
  KEY `idx_booking_session` (`course_schedule_id`, `booking_date`, `status`),
  CONSTRAINT `fk_booking_profile` FOREIGN KEY (`profile_id`) REFERENCES `profile` (`id`),
  CONSTRAINT `fk_booking_schedule` FOREIGN KEY (`course_schedule_id`) REFERENCES `course_schedule` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='seat bookings';
