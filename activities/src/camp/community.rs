//! A thin client for the community platform's (知识星球) check-in topics: one GET per page,
//! newest first, paged with `end_time`, authenticated by the access-token cookie. No retries
//! of its own (the sync activity's policy). The paths follow the platform's web API
//! (`/v2/groups/{group}/checkins/{checkin}/topics`); the camp's `community_project_id` is
//! `{group_id}/{checkin_id}`. Tests and `./scripts/dev` point `COMMUNITY_API_BASE` at a fake.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone)]
pub struct CommunitySettings {
    pub api_base: Url,
    pub access_token: String,
    pub timeout: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum CommunityError {
    #[error("community platform unreachable: {0}")]
    Transport(String),
    #[error("community platform answered HTTP {0}")]
    Http(u16),
    #[error("community platform refused (code {0}); the access token may have expired")]
    Refused(i64),
    #[error("unexpected answer: {0}")]
    Decode(String),
    #[error("community_project_id {0:?} is not group_id/checkin_id")]
    Project(String),
}

impl CommunityError {
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport(_) | Self::Decode(_) => true,
            Self::Http(status) => *status >= 500 || *status == 429,
            // 1059: too many requests (the platform's rate limit).
            Self::Refused(code) => *code == 1059,
            Self::Project(_) => false,
        }
    }
}

/// One check-in as the platform reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    pub community_user_id: String,
    pub nickname: String,
    pub checked_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Page {
    succeeded: bool,
    #[serde(default)]
    code: Option<i64>,
    resp_data: Option<RespData>,
}

#[derive(Deserialize)]
struct RespData {
    #[serde(default)]
    topics: Vec<Topic>,
}

#[derive(Deserialize)]
struct Topic {
    create_time: String,
    owner: Owner,
}

#[derive(Deserialize)]
struct Owner {
    user_id: serde_json::Value,
    name: String,
}

/// The platform's times: `2026-12-07T10:00:00.000+0800`.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.3f%z")
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn format_time(t: DateTime<Utc>) -> String {
    let china = FixedOffset::east_opt(8 * 3600).expect("offset");
    t.with_timezone(&china)
        .format("%Y-%m-%dT%H:%M:%S%.3f%z")
        .to_string()
}

pub struct CommunityClient {
    http: reqwest::Client,
    settings: CommunitySettings,
}

const PAGE: usize = 30;

impl CommunityClient {
    pub fn new(settings: CommunitySettings) -> Self {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .expect("http client");
        Self { http, settings }
    }

    /// Every check-in of the project made in `[since, until)`.
    pub async fn checkins(
        &self,
        project: &str,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Checkin>, CommunityError> {
        let (group, checkin) = project
            .split_once('/')
            .filter(|(g, c)| !g.is_empty() && !c.is_empty())
            .ok_or_else(|| CommunityError::Project(project.to_string()))?;
        let mut out = Vec::new();
        let mut end = until;
        // Bounded: a camp of 1000 members × 60 days fits in 2000 pages.
        for _ in 0..2000 {
            let mut url = self
                .settings
                .api_base
                .join(&format!("v2/groups/{group}/checkins/{checkin}/topics"))
                .map_err(|e| CommunityError::Decode(e.to_string()))?;
            url.query_pairs_mut()
                .append_pair("scope", "all")
                .append_pair("count", &PAGE.to_string())
                .append_pair("end_time", &format_time(end));
            let res = self
                .http
                .get(url)
                .header(
                    "Cookie",
                    format!("zsxq_access_token={}", self.settings.access_token),
                )
                .send()
                .await
                .map_err(|e| CommunityError::Transport(e.to_string()))?;
            if !res.status().is_success() {
                return Err(CommunityError::Http(res.status().as_u16()));
            }
            let page: Page = res
                .json()
                .await
                .map_err(|e| CommunityError::Decode(e.to_string()))?;
            if !page.succeeded {
                return Err(CommunityError::Refused(page.code.unwrap_or(-1)));
            }
            let topics = page.resp_data.map(|d| d.topics).unwrap_or_default();
            let n = topics.len();
            let mut oldest = end;
            for t in topics {
                let at = parse_time(&t.create_time)
                    .ok_or_else(|| CommunityError::Decode(t.create_time.clone()))?;
                oldest = oldest.min(at);
                if at >= since && at < until {
                    let id = match t.owner.user_id {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    out.push(Checkin {
                        community_user_id: id,
                        nickname: t.owner.name,
                        checked_at: at,
                    });
                }
            }
            if n < PAGE || oldest < since {
                return Ok(out);
            }
            end = oldest - Duration::milliseconds(1);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_read_in_the_platforms_format() {
        let t = parse_time("2026-12-07T10:00:00.000+0800").unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap());
        assert_eq!(format_time(t), "2026-12-07T10:00:00.000+0800");
        assert!(parse_time("yesterday").is_none());
    }
}
