-- Playbooks stored in the database (the built-in ones are installed on first
-- start and are then edited by admins), and each incident's response team.
-- Booleans are BIGINT 0 or 1, as elsewhere.

CREATE TABLE playbooks (
    playbook_key TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    -- Classification entries ("category" or "category/subtype"), one per line.
    applies_to   TEXT NOT NULL,
    retired      BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE playbook_items (
    id           TEXT PRIMARY KEY,
    playbook_key TEXT NOT NULL REFERENCES playbooks (playbook_key),
    phase        TEXT NOT NULL,
    position     BIGINT NOT NULL,
    text         TEXT NOT NULL,
    required     BIGINT NOT NULL,
    owner_role   TEXT NOT NULL
);

CREATE INDEX playbook_items_playbook ON playbook_items (playbook_key, phase, position);

-- Who holds each IR role on an incident. Name and contact are copied from the
-- roster at assignment; roster_id is kept for reference only (no foreign key:
-- the roster entry may be removed later).
CREATE TABLE incident_roles (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    contact     TEXT NOT NULL,
    roster_id   TEXT,
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, role)
);
