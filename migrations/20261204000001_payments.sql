-- The payment core (docs/payments.md): one row per WeChat Pay order and per refund, and the
-- anomalies ops must look at. Shared by every purpose (camp seats now, seed 003's order lines
-- next); amounts in fen, instants UTC DATETIME(3).

CREATE TABLE `payment` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `out_trade_no` VARCHAR(32) NOT NULL COMMENT 'merchant order number, from business keys',
  `workflow_id` VARCHAR(100) NOT NULL COMMENT 'pay/{out_trade_no}',
  `purpose` VARCHAR(32) NOT NULL COMMENT 'camp_seat | order_line ...',
  `purpose_id` BIGINT NOT NULL COMMENT 'the purpose''s row (camp_enrolment.id, ...)',
  `user_id` BIGINT NOT NULL,
  `openid` VARCHAR(64) NOT NULL,
  `description` VARCHAR(127) NOT NULL,
  `amount_cents` BIGINT NOT NULL,
  `state` ENUM('reserved', 'paid', 'closed', 'anomaly') NOT NULL DEFAULT 'reserved',
  `prepay_id` VARCHAR(64) NULL,
  `transaction_id` VARCHAR(32) NULL,
  `paid_cents` BIGINT NOT NULL DEFAULT 0 COMMENT 'what WeChat says was paid',
  `refunded_cents` BIGINT NOT NULL DEFAULT 0 COMMENT 'refunds that succeeded',
  `paid_via` VARCHAR(16) NULL COMMENT 'notice | query | close | late',
  `expires_at` DATETIME(3) NOT NULL COMMENT 'time_expire',
  `paid_at` DATETIME(3) NULL,
  `closed_at` DATETIME(3) NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_payment_trade_no` (`out_trade_no`),
  KEY `idx_payment_purpose` (`purpose`, `purpose_id`),
  KEY `idx_payment_user` (`user_id`),
  KEY `idx_payment_state` (`state`, `expires_at`),
  CONSTRAINT `fk_payment_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='WeChat Pay orders';

-- refundable = paid_cents - refunded_cents - (refunds in state reserved/processing/abnormal)
CREATE TABLE `payment_refund` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `out_refund_no` VARCHAR(64) NOT NULL,
  `out_trade_no` VARCHAR(32) NOT NULL,
  `workflow_id` VARCHAR(120) NOT NULL COMMENT 'refund/{out_refund_no}',
  `amount_cents` BIGINT NOT NULL,
  `reason` VARCHAR(32) NOT NULL COMMENT 'camp_deposit | late_payment ...',
  `state` ENUM('reserved', 'processing', 'success', 'closed', 'abnormal', 'refused') NOT NULL DEFAULT 'reserved',
  `refund_id` VARCHAR(32) NULL COMMENT 'WeChat''s refund id',
  `detail` VARCHAR(255) NULL COMMENT 'WeChat''s code and message when refused',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `finished_at` DATETIME(3) NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_refund_no` (`out_refund_no`),
  KEY `idx_refund_trade` (`out_trade_no`, `state`),
  CONSTRAINT `fk_refund_payment` FOREIGN KEY (`out_trade_no`) REFERENCES `payment` (`out_trade_no`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='WeChat Pay refunds';

CREATE TABLE `payment_anomaly` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `out_trade_no` VARCHAR(32) NOT NULL,
  `kind` VARCHAR(32) NOT NULL COMMENT 'mismatch | refund_abnormal | late_payment | unknown_order',
  `detail` TEXT NOT NULL COMMENT 'JSON',
  `resolved_at` DATETIME(3) NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_anomaly` (`out_trade_no`, `kind`),
  KEY `idx_anomaly_open` (`resolved_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='payments ops must look at';
