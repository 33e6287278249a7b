-- Families and auto-accept on the waitlist (issue 18: F1–F4, AA1).
-- * A family entry is one place in the queue for several children of one parent: the entry's
--   own child (`profile_id`) and its siblings, all listed in `waitlist_member` in the order the
--   parent gave (a single-child entry has no member rows). The queue's capacity counts children.
-- * `accept_partial`: an offer with fewer seats than children still goes to the family and
--   books as many as are free (F2); without it only an offer with seats for all of them does.
-- * `auto_accept`: a released seat is booked for the entry at once, before the broadcast (AA1).

ALTER TABLE `waitlist`
  ADD COLUMN `party_size` INT NOT NULL DEFAULT 1 COMMENT 'children in the entry (F1)',
  ADD COLUMN `accept_partial` BOOLEAN NOT NULL DEFAULT FALSE COMMENT 'F2: fewer seats will do',
  ADD COLUMN `auto_accept` BOOLEAN NOT NULL DEFAULT FALSE COMMENT 'AA1: book a released seat at once';

CREATE TABLE `waitlist_member` (
  `waitlist_id` BIGINT NOT NULL,
  `seq` INT NOT NULL COMMENT '1 = the entry''s own child, then the siblings in the parent''s order',
  `profile_id` BIGINT NOT NULL,
  `booking_id` BIGINT NULL COMMENT 'the seat this child got from the entry (F3)',
  PRIMARY KEY (`waitlist_id`, `seq`),
  UNIQUE KEY `uk_member_child` (`waitlist_id`, `profile_id`),
  KEY `idx_member_profile` (`profile_id`),
  CONSTRAINT `fk_member_waitlist` FOREIGN KEY (`waitlist_id`) REFERENCES `waitlist` (`id`),
  CONSTRAINT `fk_member_profile` FOREIGN KEY (`profile_id`) REFERENCES `profile` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='children of a family entry';

-- A hold in turn holds as many seats as the entry it is for needs (F2).
ALTER TABLE `offer_hold`
  ADD COLUMN `seats` INT NOT NULL DEFAULT 1;

ALTER TABLE `waitlist_notification`
  MODIFY COLUMN `notification_type` ENUM('spot_available', 'seat_taken', 'hold_for_you', 'offer_expired',
    'waitlist_expired', 'position_changed', 'seat_confirmed') NOT NULL;
