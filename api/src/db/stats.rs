//! The figures of `GET /api/v1/admin/stats`, over a time range and optionally one course type
//! or one course. Events count by when they happened: a release by its start, a message by
//! when it was written, a makeup by its booking, a ledger row by its time.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::MySqlPool;

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// `[from, to)`
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub course_type: Option<String>,
    pub course_id: Option<i64>,
    /// seconds to add to UTC for the club's calendar day (daily series)
    pub day_offset_seconds: i64,
}

/// The `AND …` conditions on a time column and on course `c`, with their binds in order.
fn conditions(f: &Filter, time_column: &str) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    if let Some(from) = f.from {
        sql.push_str(&format!(" AND {time_column} >= ?"));
        binds.push(Bind::Time(from));
    }
    if let Some(to) = f.to {
        sql.push_str(&format!(" AND {time_column} < ?"));
        binds.push(Bind::Time(to));
    }
    if let Some(t) = &f.course_type {
        sql.push_str(" AND c.course_type = ?");
        binds.push(Bind::Text(t.clone()));
    }
    if let Some(id) = f.course_id {
        sql.push_str(" AND c.id = ?");
        binds.push(Bind::Int(id));
    }
    (sql, binds)
}

#[derive(Debug, Clone)]
enum Bind {
    Time(DateTime<Utc>),
    Text(String),
    Int(i64),
}

fn course_filtered(f: &Filter) -> bool {
    f.course_type.is_some() || f.course_id.is_some()
}

async fn rows<T>(pool: &MySqlPool, sql: &str, binds: Vec<Bind>) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow> + Send + Unpin,
{
    let mut q = sqlx::query_as::<_, T>(sql);
    for b in binds {
        q = match b {
            Bind::Time(t) => q.bind(t),
            Bind::Text(s) => q.bind(s),
            Bind::Int(i) => q.bind(i),
        };
    }
    q.fetch_all(pool).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowGroup {
    pub phase: String,
    pub flows: i64,
    /// releases that found nobody waiting (no offer made)
    pub no_offer: i64,
    pub avg_fill_seconds: Option<f64>,
}

const FLOW_FROM: &str =
    "FROM waitlist_flow f JOIN course_schedule cs ON cs.id = f.course_schedule_id
    JOIN course c ON c.id = cs.course_id WHERE 1 = 1";

pub async fn flows_by_phase(pool: &MySqlPool, f: &Filter) -> Result<Vec<FlowGroup>, sqlx::Error> {
    let (cond, binds) = conditions(f, "f.flow_start_time");
    rows(
        pool,
        &format!(
            "SELECT CAST(f.phase AS CHAR) AS phase, COUNT(*) AS flows,
                    CAST(SUM(f.response_deadline IS NULL) AS SIGNED) AS no_offer,
                    CAST(AVG(CASE WHEN f.phase = 'won' THEN TIMESTAMPDIFF(MICROSECOND, f.flow_start_time, f.flow_completion_time) END) / 1000000 AS DOUBLE) AS avg_fill_seconds
               {FLOW_FROM}{cond} GROUP BY f.phase"
        ),
        binds,
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CourseFlows {
    pub course_id: i64,
    pub course_name: String,
    pub course_type: String,
    pub releases: i64,
    pub offers: i64,
    pub won: i64,
    pub ended: i64,
    pub avg_fill_seconds: Option<f64>,
}

pub async fn flows_by_course(
    pool: &MySqlPool,
    f: &Filter,
) -> Result<Vec<CourseFlows>, sqlx::Error> {
    let (cond, binds) = conditions(f, "f.flow_start_time");
    rows(
        pool,
        &format!(
            "SELECT c.id AS course_id, c.name AS course_name, c.course_type, COUNT(*) AS releases,
                    CAST(SUM(f.response_deadline IS NOT NULL) AS SIGNED) AS offers,
                    CAST(SUM(f.phase = 'won') AS SIGNED) AS won,
                    CAST(SUM(f.response_deadline IS NOT NULL AND f.phase NOT IN ('broadcast', 'hold')) AS SIGNED) AS ended,
                    CAST(AVG(CASE WHEN f.phase = 'won' THEN TIMESTAMPDIFF(MICROSECOND, f.flow_start_time, f.flow_completion_time) END) / 1000000 AS DOUBLE) AS avg_fill_seconds
               {FLOW_FROM}{cond} GROUP BY c.id, c.name, c.course_type ORDER BY releases DESC, c.id"
        ),
        binds,
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DayRow {
    pub day: NaiveDate,
    pub releases: i64,
    pub won: i64,
}

pub async fn flows_by_day(pool: &MySqlPool, f: &Filter) -> Result<Vec<DayRow>, sqlx::Error> {
    let (cond, mut binds) = conditions(f, "f.flow_start_time");
    binds.insert(0, Bind::Int(f.day_offset_seconds));
    rows(
        pool,
        &format!(
            "SELECT DATE(f.flow_start_time + INTERVAL ? SECOND) AS day, COUNT(*) AS releases,
                    CAST(SUM(f.phase = 'won') AS SIGNED) AS won
               {FLOW_FROM}{cond} GROUP BY day ORDER BY day"
        ),
        binds,
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryGroup {
    pub wechat_status: String,
    pub wechat_errcode: Option<i32>,
    pub count: i64,
}

/// In-app messages by WeChat result. With a course filter, only messages about a session
/// (offers, cutoff, staff messages to a queue) of that course count.
pub async fn deliveries(pool: &MySqlPool, f: &Filter) -> Result<Vec<DeliveryGroup>, sqlx::Error> {
    let (cond, binds) = conditions(f, "n.created_at");
    let join = if course_filtered(f) {
        "JOIN course_schedule cs ON cs.id = CAST(JSON_UNQUOTE(JSON_EXTRACT(n.data, '$.course_schedule_id')) AS SIGNED)
         JOIN course c ON c.id = cs.course_id"
    } else {
        ""
    };
    rows(
        pool,
        &format!(
            "SELECT CAST(n.wechat_status AS CHAR) AS wechat_status, n.wechat_errcode, COUNT(*) AS count
               FROM notification n {join} WHERE 1 = 1{cond}
              GROUP BY n.wechat_status, n.wechat_errcode ORDER BY 1, 2"
        ),
        binds,
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Counted {
    pub key: String,
    pub count: i64,
}

pub async fn makeups_by(
    pool: &MySqlPool,
    f: &Filter,
    column: MakeupColumn,
) -> Result<Vec<Counted>, sqlx::Error> {
    let (cond, binds) = conditions(f, "mb.created_at");
    let col = match column {
        MakeupColumn::Status => "mb.status",
        MakeupColumn::CompletionType => "mb.completion_type",
    };
    rows(
        pool,
        &format!(
            "SELECT CAST({col} AS CHAR) AS `key`, COUNT(*) AS count
               FROM makeup_booking mb JOIN course c ON c.id = mb.makeup_class_id WHERE 1 = 1{cond}
              GROUP BY {col} ORDER BY 1"
        ),
        binds,
    )
    .await
}

#[derive(Debug, Clone, Copy)]
pub enum MakeupColumn {
    Status,
    CompletionType,
}

/// Ledger minutes by kind (signed sums for `adjusted`). With a course filter, only minutes
/// of credits that a makeup of that course created.
pub async fn minutes_by_kind(pool: &MySqlPool, f: &Filter) -> Result<Vec<Counted>, sqlx::Error> {
    let (cond, binds) = conditions(f, "l.at");
    let join = if course_filtered(f) {
        "JOIN class_credit_compensation cc ON cc.id = l.compensation_id
         JOIN makeup_booking mb ON mb.id = cc.makeup_booking_id
         JOIN course c ON c.id = mb.makeup_class_id"
    } else {
        ""
    };
    rows(
        pool,
        &format!(
            "SELECT CAST(l.kind AS CHAR) AS `key`, CAST(COALESCE(SUM(l.minutes), 0) AS SIGNED) AS count
               FROM compensation_ledger l {join} WHERE 1 = 1{cond} GROUP BY l.kind ORDER BY 1"
        ),
        binds,
    )
    .await
}

pub async fn queue_by_status(pool: &MySqlPool, f: &Filter) -> Result<Vec<Counted>, sqlx::Error> {
    let (cond, binds) = conditions(f, "w.joined_at");
    rows(
        pool,
        &format!(
            "SELECT CAST(w.status AS CHAR) AS `key`, COUNT(*) AS count
               FROM waitlist w JOIN course_schedule cs ON cs.id = w.course_schedule_id
               JOIN course c ON c.id = cs.course_id WHERE 1 = 1{cond} GROUP BY w.status ORDER BY 1"
        ),
        binds,
    )
    .await
}
