-- Accounts, sessions, sign-in throttling, need-to-know incidents and the
-- hash-chained audit log. Kept equivalent to the PostgreSQL migration.

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    disabled         BIGINT NOT NULL DEFAULT 0,
    -- Base32 TOTP secret once enrolment is confirmed; the pending one during it.
    totp_secret      TEXT,
    totp_pending     TEXT,
    -- The last 30-second step a code was accepted for: each code works once.
    totp_last_step   BIGINT NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE recovery_codes (
    id        TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TEXT
);

CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Only the SHA-256 of a session token is stored, so a copy of the database
-- does not hand out live sessions.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per key ('account:<username>' or 'ip:<address>').
CREATE TABLE sign_in_failures (
    key          TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    locked_until TEXT,
    updated_at   TEXT NOT NULL
);

-- One row once the first administrator exists: the first-run page works only
-- while this table is empty, and the primary key stops two of them racing.
CREATE TABLE first_run (
    id         BIGINT PRIMARY KEY,
    done_at    TEXT NOT NULL
);

ALTER TABLE incidents ADD COLUMN restricted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN reported_by TEXT;

CREATE TABLE incident_members (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (incident_id, user_id)
);

CREATE INDEX incident_members_user ON incident_members (user_id);

-- The audit chain: hash = SHA-256(prev_hash || canonical record). There are
-- deliberately no triggers here: the chain, not the database, is the proof,
-- and `firebreak audit verify` finds any row changed or removed.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_object ON audit_log (object);

-- The chain's head: appending updates this one row first, which serialises
-- appenders (PostgreSQL row lock; SQLite's single writer).
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
