//! Integration tests: services, repositories and HTTP endpoints against a real
//! database. They run on SQLite by default and on PostgreSQL when
//! `FIREBREAK_TEST_POSTGRES_URL` is set (an admin URL; each test creates its
//! own database).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![recursion_limit = "512"]

mod access;
mod audit;
mod auth;
mod checklists;
mod evidence;
mod helpers;
mod http;
mod incidents;
mod indicators;
mod lessons;
mod playbooks;
mod preparation;
mod regulatory;
mod scope;
mod security;
mod smtp;
mod updates;
