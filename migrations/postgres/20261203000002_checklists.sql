-- Phase checklists: items copied from the matching playbook when an incident
-- is classified, plus ad-hoc items. `required` is 0 or 1.

CREATE TABLE checklist_items (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    phase       TEXT NOT NULL,
    position    BIGINT NOT NULL,
    text        TEXT NOT NULL,
    required    BIGINT NOT NULL,
    owner_role  TEXT,
    owner       TEXT,
    due_at      TEXT,
    done_at     TEXT,
    done_by     TEXT,
    note        TEXT NOT NULL,
    playbook    TEXT,
    created_at  TEXT NOT NULL
);

CREATE INDEX checklist_items_incident ON checklist_items (incident_id, phase, position);
