-- Offer bookkeeping for WaitlistOfferWorkflow (O1–O8):
-- * seats an open offer still holds for the queue (direct bookings may not take them),
-- * who holds the seat during a hold-in-turn step,
-- * the grace a parent earned with `begin` (O6),
-- * a version of each session's capacity so a capacity raise is released exactly once.

ALTER TABLE `waitlist_flow`
  ADD COLUMN `seats_open` INT NOT NULL DEFAULT 0 COMMENT 'seats still offered to the queue',
  ADD COLUMN `holder_waitlist_id` BIGINT NULL COMMENT 'entry the seat is held for (phase hold)',
  ADD COLUMN `hold_round` INT NOT NULL DEFAULT 0,
  ADD KEY `idx_flow_open` (`course_schedule_id`, `booking_date`, `phase`, `seats_open`);

ALTER TABLE `waitlist_notification`
  ADD COLUMN `grace_until` DATETIME(3) NULL COMMENT 'confirm allowed until (begin + grace, O6)';

ALTER TABLE `class_session`
  ADD COLUMN `capacity_version` INT NOT NULL DEFAULT 0 COMMENT 'bumped by every capacity change';
