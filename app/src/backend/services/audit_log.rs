//! Reading and verifying the audit chain.

use crate::backend::context::RequestContext;
use crate::backend::db::{self, audit::AuditFilter, audit::AuditRow, audit::GENESIS, audit::chain_hash};
use crate::backend::error::BackendError;
use crate::domain::access::Action;
pub use crate::domain::audit::{AuditEntry, ChainStatus};

/// Walks the whole chain in order and reports the first broken link: a
/// record whose hash does not match its contents (altered), a sequence gap
/// (deleted), a `prev_hash` that is not the previous record's hash, or a
/// head that does not match the last record (the tail removed). With
/// `expected_head` (a `seq:hash` exported earlier), also checks that this
/// chain still contains that record unchanged.
pub async fn verify(db: &db::Db, expected_head: Option<(i64, String)>) -> Result<ChainStatus, BackendError> {
    const PAGE: i64 = 1000;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    loop {
        let page = db::audit::chain_page(&db.pool, expected_seq - 1, PAGE).await?;
        let n = page.len();
        for row in page {
            if let Some(problem) = check_row(&row, expected_seq, &prev_hash) {
                return Ok(ChainStatus::Broken { seq: expected_seq.min(row.seq), problem });
            }
            if let Some((seq, hash)) = &expected_head
                && row.seq == *seq
                && &row.hash != hash
            {
                return Ok(ChainStatus::Broken {
                    seq: row.seq,
                    problem: "differs from the exported head: the chain was rewritten from here or earlier".into(),
                });
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
        if n < PAGE as usize {
            break;
        }
    }
    let last = expected_seq - 1;
    let (head_seq, head_hash) = db::audit::head(&db.pool).await?;
    if head_seq != last || head_hash != prev_hash {
        return Ok(ChainStatus::Broken {
            seq: last + 1,
            problem: format!(
                "the head says the chain ends at record {head_seq}, but it ends at {last}: records were removed from the end"
            ),
        });
    }
    if let Some((seq, _)) = expected_head
        && seq > last
    {
        return Ok(ChainStatus::Broken { seq, problem: "the exported head is past the end of the chain".into() });
    }
    Ok(ChainStatus::Intact { records: last, head_hash: prev_hash })
}

fn check_row(row: &AuditRow, expected_seq: i64, prev_hash: &str) -> Option<String> {
    if row.seq != expected_seq {
        return Some(format!("record {expected_seq} is missing (the next one is {}): records were deleted", row.seq));
    }
    if row.prev_hash != prev_hash {
        return Some("its link to the previous record is wrong: records before it were changed or removed".into());
    }
    let recomputed = chain_hash(&row.prev_hash, row.seq, &row.at, &row.actor, &row.action, &row.object, &row.summary);
    if recomputed != row.hash {
        return Some("its contents do not match its hash: the record was altered".into());
    }
    None
}

/// The admin page: the newest records matching the filter, the actions to
/// filter by, and the chain status.
pub struct AuditPage {
    pub rows: Vec<AuditEntry>,
    pub actions: Vec<String>,
    pub status: ChainStatus,
}

pub const PAGE_SIZE: i64 = 200;

pub async fn page(ctx: &RequestContext, filter: &AuditFilter) -> Result<AuditPage, BackendError> {
    ctx.require(Action::ViewAudit)?;
    let pool = &ctx.db().pool;
    Ok(AuditPage {
        rows: db::audit::search(pool, filter, PAGE_SIZE)
            .await?
            .into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: r.at,
                actor: r.actor,
                action: r.action,
                object: r.object,
                summary: r.summary,
                hash: r.hash,
            })
            .collect(),
        actions: db::audit::actions(pool).await?,
        status: verify(ctx.db(), None).await?,
    })
}
