-- Staff console (issue 14): staff accounts with roles, the audit log of staff actions, and
-- credit adjustments by staff as ledger entries of their own kind.

-- Staff accounts are `user` rows with role 'admin'; `staff_role` says what they may do:
-- owner (everything, including settings and accounts) or staff (day-to-day operations).
-- Existing admins (the bootstrap admin from the environment) become owners.
ALTER TABLE `user`
  ADD COLUMN `staff_role` ENUM('owner', 'staff') NULL COMMENT 'admins only',
  ADD COLUMN `disabled_at` DATETIME(3) NULL COMMENT 'a disabled staff account cannot log in';
UPDATE `user` SET `staff_role` = 'owner' WHERE `role` = 'admin';

-- Every staff action: who, when, what (action + target + details) and why.
CREATE TABLE `staff_audit_log` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `staff_user_id` BIGINT NOT NULL,
  `staff_username` VARCHAR(64) NOT NULL COMMENT 'as it was at the time',
  `action` VARCHAR(64) NOT NULL COMMENT 'e.g. queue.remove, credit.adjust, makeup.book',
  `target_type` VARCHAR(32) NOT NULL COMMENT 'session, waitlist, profile, user, course, course_type, ...',
  `target_id` VARCHAR(191) NOT NULL,
  `reason` VARCHAR(500) NULL,
  `details` TEXT NULL COMMENT 'JSON',
  `at` DATETIME(3) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_audit_at` (`at`),
  KEY `idx_audit_staff` (`staff_user_id`, `at`),
  KEY `idx_audit_target` (`target_type`, `target_id`),
  CONSTRAINT `fk_audit_staff` FOREIGN KEY (`staff_user_id`) REFERENCES `user` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='staff audit log';

-- Credit adjustments. A positive adjustment is a credit of its own (source 'adjustment', no
-- original booking); a negative one takes minutes off available credits. Either way the
-- ledger gets rows of kind 'adjusted' (added by the integrity migration) with signed
-- minutes, so created - used + restored - expired - revoked + adjusted = balance.
ALTER TABLE `class_credit_compensation`
  MODIFY COLUMN `original_booking_id` BIGINT NULL,
  ADD COLUMN `source` ENUM('makeup', 'adjustment') NOT NULL DEFAULT 'makeup';
ALTER TABLE `compensation_ledger`
  ADD COLUMN `audit_id` BIGINT NULL COMMENT 'the staff action behind an adjusted row';

-- Retention (the durable clean-up job) deletes old in-app notifications and offer delivery
-- records by age; these indexes keep its batches cheap.
ALTER TABLE `notification` ADD KEY `idx_notification_created` (`created_at`);
ALTER TABLE `waitlist_notification` ADD KEY `idx_wn_created` (`created_at`);

-- How long in-app notifications and offer delivery records are kept (one row; the owner
-- changes it in the console). Read by the retention job at every cycle.
CREATE TABLE `retention_setting` (
  `id` TINYINT NOT NULL,
  `max_age_days` INT NOT NULL DEFAULT 180,
  `batch_size` INT NOT NULL DEFAULT 500,
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='data retention (one row)';
INSERT INTO `retention_setting` (`id`, `max_age_days`, `batch_size`) VALUES (1, 180, 500);
