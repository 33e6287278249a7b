-- WeChat subscribe-message delivery state per in-app notification (N2, N3): the message is
-- rendered when the notification is written, then sent by the `notify.wechat` activity.
ALTER TABLE `notification`
  MODIFY COLUMN `wechat_status` ENUM('disabled', 'no_grant', 'pending', 'sending', 'sent', 'failed') NOT NULL DEFAULT 'disabled',
  ADD COLUMN `wechat_template_id` VARCHAR(64) NULL,
  ADD COLUMN `wechat_page` VARCHAR(255) NULL,
  ADD COLUMN `wechat_payload` TEXT NULL COMMENT 'JSON data of the subscribe message',
  ADD COLUMN `wechat_attempts` INT NOT NULL DEFAULT 0,
  ADD COLUMN `wechat_sent_at` DATETIME(3) NULL,
  ADD KEY `idx_notification_wechat` (`wechat_status`, `created_at`);
