-- Preparation: the versioned incident response plan, the response team
-- roster, the stakeholder directory and the readiness checklist.

-- Plan versions are only ever added: older versions stay readable.
CREATE TABLE plan_versions (
    version        BIGINT PRIMARY KEY,
    body           TEXT NOT NULL,
    approver       TEXT NOT NULL,
    approved_on    TEXT NOT NULL,
    next_review_on TEXT NOT NULL,
    published_by   TEXT NOT NULL,
    published_at   TEXT NOT NULL
);

CREATE TABLE roster_entries (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    contact    TEXT NOT NULL,
    notes      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE stakeholders (
    id         TEXT PRIMARY KEY,
    audience   TEXT NOT NULL,
    name       TEXT NOT NULL,
    contact    TEXT NOT NULL,
    notes      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE readiness_items (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    owner            TEXT NOT NULL,
    interval_days    BIGINT NOT NULL,
    last_verified_at TEXT,
    verified_by      TEXT,
    notes            TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
