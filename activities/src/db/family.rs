//! SQL of family entries (F1–F3) and auto-accept (AA1): the queue with each entry's children,
//! and booking an entry's children all at once. Runs inside the caller's transaction, after
//! the session row is locked.

use crate::db::offers::insert_booking;
use crate::error::{Result, u32_of};
use sqlx::{Connection, MySqlConnection};
use workflows::SessionKey;
use workflows::rules::family::{Party, Waiting};

/// The active entries of the session in queue order, each with its party (F2) and whether
/// auto-accept may book it (AA1: opted in, and not waiting as a makeup — a makeup's seat is
/// decided by the makeup rules at confirm).
pub async fn queue(conn: &mut MySqlConnection, key: SessionKey) -> Result<Vec<Waiting>> {
    let rows: Vec<(i64, i32, bool, bool)> = sqlx::query_as(
        "SELECT id, party_size, accept_partial, (auto_accept AND pending_makeup_id IS NULL)
           FROM waitlist WHERE course_schedule_id = ? AND booking_date = ?
            AND status IN ('waiting', 'notified') ORDER BY id",
    )
    .bind(key.course_schedule_id)
    .bind(key.booking_date)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, size, partial, auto)| {
            Ok(Waiting {
                waitlist_id: id,
                party: Party {
                    children: u32_of("party_size", size)?,
                    accept_partial: partial,
                },
                auto_accept: auto,
            })
        })
        .collect()
}

/// The children of an entry still waiting, in the order the parent gave them: its own child
/// first (an entry without member rows is that child alone); a child a partial booking already
/// seated is not waiting any more (F4).
pub async fn children(
    conn: &mut MySqlConnection,
    waitlist_id: i64,
    child: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT profile_id, booking_id FROM waitlist_member WHERE waitlist_id = ? ORDER BY seq",
    )
    .bind(waitlist_id)
    .fetch_all(conn)
    .await?;
    Ok(if rows.is_empty() {
        vec![child]
    } else {
        rows.into_iter()
            .filter(|(_, booked)| booked.is_none())
            .map(|(id, _)| id)
            .collect()
    })
}

/// F3: books the first `seats` children of the entry, all or none (a savepoint): their
/// bookings in order (never empty), or `None` when one of them already has a seat in this
/// session, or none waits any more (nothing of this entry is booked then). Each member row
/// remembers its booking.
pub async fn book_children(
    conn: &mut MySqlConnection,
    waitlist_id: i64,
    child: i64,
    session: SessionKey,
    source: &str,
    seats: u32,
) -> Result<Option<Vec<i64>>> {
    let wanted = usize::try_from(seats).unwrap_or(usize::MAX);
    let children: Vec<i64> = children(&mut *conn, waitlist_id, child)
        .await?
        .into_iter()
        .take(wanted)
        .collect();
    if children.is_empty() {
        return Ok(None);
    }
    let mut sp = conn.begin().await?;
    let mut bookings = Vec::with_capacity(children.len());
    for profile_id in &children {
        let Some(booking_id) = insert_booking(&mut sp, *profile_id, session, source).await? else {
            sp.rollback().await?;
            return Ok(None);
        };
        sqlx::query(
            "UPDATE waitlist_member SET booking_id = ? WHERE waitlist_id = ? AND profile_id = ?",
        )
        .bind(booking_id)
        .bind(waitlist_id)
        .bind(profile_id)
        .execute(&mut *sp)
        .await?;
        bookings.push(booking_id);
    }
    sp.commit().await?;
    Ok(Some(bookings))
}

/// The names of the children an entry booked (all its children before it booked any), in the
/// parent's order, joined for a message (`小明、小红`).
pub async fn child_names(conn: &mut MySqlConnection, waitlist_id: i64) -> Result<String> {
    let mut rows: Vec<(String,)> = sqlx::query_as(
        "SELECT p.name FROM waitlist_member m JOIN profile p ON p.id = m.profile_id
          WHERE m.waitlist_id = ?
            AND (m.booking_id IS NOT NULL
                 OR NOT EXISTS (SELECT 1 FROM waitlist_member b WHERE b.waitlist_id = m.waitlist_id AND b.booking_id IS NOT NULL))
          ORDER BY m.seq",
    )
    .bind(waitlist_id)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        rows = sqlx::query_as(
            "SELECT p.name FROM waitlist w JOIN profile p ON p.id = w.profile_id WHERE w.id = ?",
        )
        .bind(waitlist_id)
        .fetch_all(&mut *conn)
        .await?;
    }
    Ok(rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("、"))
}

/// The bookings an entry made, in the parent's order of the children (F3).
pub async fn booking_ids(conn: &mut MySqlConnection, waitlist_id: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT booking_id FROM waitlist_member WHERE waitlist_id = ? AND booking_id IS NOT NULL
         UNION ALL
         SELECT booking_id FROM waitlist w WHERE w.id = ? AND booking_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM waitlist_member m WHERE m.waitlist_id = w.id)",
    )
    .bind(waitlist_id)
    .bind(waitlist_id)
    .fetch_all(conn)
    .await?;
    let mut ids: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
    ids.sort_unstable();
    Ok(ids)
}
