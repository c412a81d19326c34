-- Expiry reminders (issue 5). Mirrors ../sqlite/0004_expiry_reminders.sql.

-- The period last chosen for a guest ("1w", "1m", …; NULL when unknown), so that
-- "Extend" in a reminder can give the same period again from now.
ALTER TABLE people ADD COLUMN expiry_period TEXT;
-- When the next expiry reminder is due (unix ms); NULL when none is due any more: no
-- expiry, every reminder sent, or "Let expire" chosen. Set by the data layer from
-- domain::expiry whenever an expiry is set; claimed by the reminder job with a
-- conditional UPDATE, so several servers send each reminder once.
ALTER TABLE people ADD COLUMN next_reminder_at BIGINT;
CREATE INDEX people_reminder_due ON people(next_reminder_at) WHERE kind = 'guest' AND state <> 'removed' AND next_reminder_at IS NOT NULL;
