-- Fine-grained credit timing (★): validity and reminder lead in seconds. NULL inherits; when
-- both validity columns are set on one layer, the seconds win. Defaults: 14 days, 2 days.
ALTER TABLE `unified_waitlist_capacity`
  ADD COLUMN `compensation_valid_seconds` INT NULL,
  ADD COLUMN `compensation_reminder_seconds` INT NULL;
ALTER TABLE `course_waitlist_config`
  ADD COLUMN `compensation_valid_seconds` INT NULL,
  ADD COLUMN `compensation_reminder_seconds` INT NULL;
