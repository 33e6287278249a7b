-- In-app notification centre and WeChat subscribe-message grants (N1, N2).

CREATE TABLE `notification` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `user_id` BIGINT NOT NULL,
  `profile_id` BIGINT NULL,
  `type` VARCHAR(32) NOT NULL COMMENT 'design N1 type',
  `title` VARCHAR(100) NOT NULL,
  `body` VARCHAR(500) NOT NULL,
  `data` TEXT NULL COMMENT 'JSON: ids and deep link',
  `dedupe_key` VARCHAR(191) NOT NULL COMMENT 'makes the notify activity idempotent',
  `wechat_status` ENUM('disabled', 'no_grant', 'pending', 'sent', 'failed') NOT NULL DEFAULT 'disabled',
  `wechat_errcode` INT NULL,
  `read_at` DATETIME(3) NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_notification_dedupe` (`dedupe_key`),
  KEY `idx_notification_user` (`user_id`, `id`),
  CONSTRAINT `fk_inapp_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='in-app notifications';

CREATE TABLE `subscription_grant` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `user_id` BIGINT NOT NULL,
  `template_id` VARCHAR(64) NOT NULL,
  `last_result` ENUM('accept', 'reject', 'ban', 'filter') NOT NULL,
  `remaining` INT NOT NULL DEFAULT 0 COMMENT 'one-time grants left (one per accept)',
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_grant_user_template` (`user_id`, `template_id`),
  CONSTRAINT `fk_grant_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='subscribe-message grants';
