//! The waitlist queue. Positions are computed, never stored: 1 + active entries of the same
//! session with a smaller id (joins are serialized by the session lock), so they are always
//! contiguous (W4).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{MySqlConnection, MySqlPool};
use workflows::SessionKey;
use workflows::status::EntryStatus;

pub const ACTIVE: &str = "('waiting', 'notified')";

/// W4: active entries (places in the queue; a family entry is one).
pub async fn active_count(conn: &mut MySqlConnection, key: SessionKey) -> Result<u32, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM waitlist WHERE course_schedule_id = ? AND booking_date = ? AND status IN {ACTIVE}"
    ))
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    crate::db::count("count", n)
}

/// F1: children in the active entries (what the queue's capacity counts).
pub async fn waiting_children(
    conn: &mut MySqlConnection,
    key: SessionKey,
) -> Result<u32, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(COALESCE(SUM(party_size), 0) AS SIGNED) FROM waitlist
          WHERE course_schedule_id = ? AND booking_date = ? AND status IN {ACTIVE}"
    ))
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_one(conn)
    .await?;
    crate::db::count("count", n)
}

/// W3, F1: whether the child waits for this session, alone or in a family entry.
pub async fn profile_is_waiting(
    conn: &mut MySqlConnection,
    profile_id: i64,
    key: SessionKey,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT w.id FROM waitlist w
          WHERE w.course_schedule_id = ? AND w.booking_date = ? AND w.status IN {ACTIVE}
            AND (w.profile_id = ?
                 OR EXISTS (SELECT 1 FROM waitlist_member m WHERE m.waitlist_id = w.id AND m.profile_id = ?
                                                              AND m.booking_id IS NULL))
          LIMIT 1"
    ))
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .bind(profile_id)
    .bind(profile_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// A new queue entry; joined from a makeup selection it carries the makeup and the answers
/// given (M3 shorter accepted, M4 extra from credits).
pub struct NewEntry {
    pub profile_id: i64,
    /// F1: every child of the entry, `profile_id` first; one child for a single entry.
    pub children: Vec<i64>,
    /// F2: fewer seats than children will do.
    pub accept_partial: bool,
    /// AA1: book a released seat at once.
    pub auto_accept: bool,
    pub session: SessionKey,
    pub pending_makeup_id: Option<i64>,
    pub accept_shorter: bool,
    pub use_compensation: bool,
    /// W4: the position the parent is told at join
    pub position: u32,
    pub at: DateTime<Utc>,
}

pub async fn insert(conn: &mut MySqlConnection, e: &NewEntry) -> Result<i64, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO waitlist (profile_id, course_schedule_id, booking_date, status, pending_makeup_id, joined_at,
                               accept_shorter, use_compensation, last_told_position, party_size, accept_partial,
                               auto_accept)
         VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.profile_id)
    .bind(e.session.course_schedule_id)
    .bind(e.session.booking_date)
    .bind(e.pending_makeup_id)
    .bind(e.at)
    .bind(e.accept_shorter)
    .bind(e.use_compensation)
    .bind(e.position)
    .bind(e.children.len() as u64)
    .bind(e.accept_partial && e.children.len() > 1)
    .bind(e.auto_accept)
    .execute(&mut *conn)
    .await?;
    let id = crate::db::inserted_id(&result)?;
    if e.children.len() > 1 {
        for (seq, child) in (1u32..).zip(&e.children) {
            sqlx::query(
                "INSERT INTO waitlist_member (waitlist_id, seq, profile_id) VALUES (?, ?, ?)",
            )
            .bind(id)
            .bind(seq)
            .bind(child)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(id)
}

/// F3: the bookings an entry made, in its children's order (a single entry: its booking).
pub async fn booking_ids(pool: &MySqlPool, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let members: Vec<(Option<i64>,)> =
        sqlx::query_as("SELECT booking_id FROM waitlist_member WHERE waitlist_id = ? ORDER BY seq")
            .bind(id)
            .fetch_all(pool)
            .await?;
    if !members.is_empty() {
        return Ok(members.into_iter().filter_map(|m| m.0).collect());
    }
    let own: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT booking_id FROM waitlist WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(own.and_then(|o| o.0).into_iter().collect())
}

/// One child of an entry, with the seat it got from it (F1, F3).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub waitlist_id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub booking_id: Option<i64>,
}

/// The children of these entries in the parent's order; a single-child entry has none here
/// (its child is the entry's own).
pub async fn members(pool: &MySqlPool, ids: &[i64]) -> Result<Vec<MemberRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(",");
    let sql = format!(
        "SELECT m.waitlist_id, m.profile_id, p.name AS profile_name, m.booking_id
           FROM waitlist_member m JOIN profile p ON p.id = m.profile_id
          WHERE m.waitlist_id IN ({marks}) ORDER BY m.waitlist_id, m.seq"
    );
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(id);
    }
    q.fetch_all(pool).await
}

/// One entry with its owner and computed position (`None` once it left the queue).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub profile_id: i64,
    pub profile_name: String,
    pub user_id: i64,
    pub course_schedule_id: i64,
    pub booking_date: NaiveDate,
    pub course_name: String,
    pub course_id: i64,
    pub course_type: String,
    pub starts_at: DateTime<Utc>,
    #[sqlx(try_from = "String")]
    pub status: EntryStatus,
    pub joined_at: DateTime<Utc>,
    pub expiration_reason: Option<String>,
    pub position: Option<i64>,
    pub waitlist_count: i64,
    pub booking_id: Option<i64>,
    pub party_size: i32,
    pub accept_partial: bool,
    pub auto_accept: bool,
}

impl EntryRow {
    pub fn session(&self) -> SessionKey {
        SessionKey::new(self.course_schedule_id, self.booking_date)
    }
}

fn entry_select() -> String {
    format!(
        "SELECT w.id, w.profile_id, p.name AS profile_name, p.user_id, w.course_schedule_id, w.booking_date,
                c.name AS course_name, c.id AS course_id, c.course_type, s.starts_at,
                CAST(w.status AS CHAR) AS status, w.joined_at,
                CAST(w.expiration_reason AS CHAR) AS expiration_reason,
                CASE WHEN w.status IN {ACTIVE} THEN
                  (SELECT COUNT(*) FROM waitlist w2 WHERE w2.course_schedule_id = w.course_schedule_id
                      AND w2.booking_date = w.booking_date AND w2.status IN {ACTIVE} AND w2.id <= w.id)
                END AS position,
                (SELECT CAST(COALESCE(SUM(w3.party_size), 0) AS SIGNED) FROM waitlist w3
                  WHERE w3.course_schedule_id = w.course_schedule_id
                    AND w3.booking_date = w.booking_date AND w3.status IN {ACTIVE}) AS waitlist_count,
                w.booking_id, w.party_size, w.accept_partial, w.auto_accept
           FROM waitlist w
           JOIN profile p ON p.id = w.profile_id
           JOIN course_schedule cs ON cs.id = w.course_schedule_id
           JOIN course c ON c.id = cs.course_id
           JOIN class_session s ON s.course_schedule_id = w.course_schedule_id AND s.booking_date = w.booking_date"
    )
}

pub async fn find(pool: &MySqlPool, id: i64) -> Result<Option<EntryRow>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE w.id = ?", entry_select()))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A parent's entries: active first, then the most recent ended ones.
pub async fn of_parent(pool: &MySqlPool, user_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE p.user_id = ? ORDER BY (w.status IN {ACTIVE}) DESC, w.booking_date, w.id DESC LIMIT 200",
        entry_select()
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// The caller's active entries in a date range, with positions.
pub async fn parent_active_in_range(
    pool: &MySqlPool,
    user_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EntryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE p.user_id = ? AND w.status IN {ACTIVE} AND w.booking_date BETWEEN ? AND ?",
        entry_select()
    ))
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// The session's queue in order (ops view).
pub async fn of_session(pool: &MySqlPool, key: SessionKey) -> Result<Vec<EntryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} WHERE w.course_schedule_id = ? AND w.booking_date = ? ORDER BY (w.status IN {ACTIVE}) DESC, w.id",
        entry_select()
    ))
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(pool)
    .await
}

/// W5: the owner leaves; false when the entry was no longer active.
pub async fn leave(
    conn: &mut MySqlConnection,
    id: i64,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(&format!(
        "UPDATE waitlist SET status = 'cancelled', expiration_reason = 'user_cancelled', ended_at = ?
          WHERE id = ? AND status IN {ACTIVE}"
    ))
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    // A hold this entry had ends with it (the offer is told next, and passes the seat on).
    sqlx::query("UPDATE offer_hold SET ended_at = ?, outcome = 'left' WHERE waitlist_id = ? AND ended_at IS NULL")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}
