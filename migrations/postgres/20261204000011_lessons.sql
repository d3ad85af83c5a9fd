-- The lessons-learned review of an incident (one per incident, edited with
-- optimistic concurrency) and its action items.

CREATE TABLE lessons_learned (
    incident_id          TEXT PRIMARY KEY REFERENCES incidents (id),
    summary              TEXT NOT NULL,
    went_well            TEXT NOT NULL,
    went_wrong           TEXT NOT NULL,
    root_cause           TEXT NOT NULL,
    contributing_factors TEXT NOT NULL,
    detection_gaps       TEXT NOT NULL,
    recommendations      TEXT NOT NULL,
    review_held_on       TEXT,
    attendees            TEXT NOT NULL,
    updated_by           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    version              BIGINT NOT NULL
);

CREATE TABLE lesson_actions (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    text        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE INDEX lesson_actions_incident ON lesson_actions (incident_id, due_on);
