-- The guest inventory (F-INVENTORY, issue 14): an index for each of its sort orders.
-- Mirrors ../postgres/0013_guest_inventory.sql; the expressions are the ones
-- app/src/data/inventory.rs orders by, written the same way so both planners use them.

-- Guests by state: live guests by expiry (soonest first), then the removed, latest first.
CREATE INDEX people_inventory_state ON people(org_id, kind,
    (CASE WHEN state = 'removed' THEN 3000000000000000 - COALESCE(removed_at, 0)
          ELSE 1000000000000000 + COALESCE(expires_at, 999999999999999) END), id);
-- The removed alone in the same order (the State filter "Removed in the last 30 days"),
-- so that page does not walk the live guests first.
CREATE INDEX people_inventory_removed ON people(org_id, kind,
    (CASE WHEN state = 'removed' THEN 3000000000000000 - COALESCE(removed_at, 0)
          ELSE 1000000000000000 + COALESCE(expires_at, 999999999999999) END), id) WHERE state = 'removed';
-- Guests by last sign-in, never signed in first.
CREATE INDEX people_inventory_seen ON people(org_id, kind, (COALESCE(last_seen_at, 0)), id);
-- Pending invitations by email, by date and by id.
CREATE INDEX invitations_pending_email_order ON invitations(org_id, (LOWER(email)), id) WHERE state = 'pending';
CREATE INDEX invitations_pending_created ON invitations(org_id, created_at, id) WHERE state = 'pending';
CREATE INDEX invitations_pending_id ON invitations(org_id, id) WHERE state = 'pending';
-- Who invited whom: the inventory's Inviter filter and its list of inviters.
CREATE INDEX people_invited_by ON people(invited_by, kind);
CREATE INDEX invitations_pending_inviter ON invitations(inviter_id) WHERE state = 'pending';
