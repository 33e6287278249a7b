//! A strict WeChat server double: answers what WeChat's servers answer, refuses what they
//! refuse, and records what it accepted.
//!
//! It plays `POST /cgi-bin/stable_token` (checks the app's credentials; normal mode hands out
//! the current token, and a new one in its last 5 minutes; force refresh replaces it at once),
//! `GET /sns/jscode2session` (openid `openid-<code>`, which it then knows as a user) and
//! `POST /cgi-bin/message/subscribe/send`, which checks, in this order, and answers inside an
//! HTTP 200 body `{errcode, errmsg}`:
//!
//! | check | errcode |
//! |---|---|
//! | `access_token` is one it issued (41001 when missing) / not expired | 40001 / 42001 |
//! | the body is a JSON object | 47001 |
//! | `touser` is an openid it knows | 40003 |
//! | `template_id` is a template it was configured with | 40037 |
//! | `miniprogram_state` ∈ developer, trial, formal; `lang` ∈ zh_CN, en_US, zh_HK, zh_TW | 47003 |
//! | `page` is registered in `miniprogram/app.json` (read from the repo when the double starts) | 41030 |
//! | `data` has exactly the template's keywords, each `{"value": "<text>"}` fitting its type | 47003 |
//! | the user granted the template (one message per grant) | 43101 |
//!
//! Faults (busy, rate limit, HTTP errors, delays) are injected per recipient. The page and
//! value rules are `activities::wechat::{page, keyword}`, the ones the renderer obeys, each
//! with its own table-driven tests.
//!
//! This file is also compiled into `activities/tests/wechat_client.rs` (`#[path]`): it uses
//! only crates both test crates have.

#![allow(dead_code)] // each test crate uses its own part

use activities::notify::templates::NoticeType;
use activities::wechat::errors::{ErrorClass, classify};
use activities::wechat::keyword::{Keyword, check};
use activities::wechat::page::{check_page, registered_pages};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The club's templates as WeChat knows them (id and keywords, as the MP console lists them),
/// one per notification type. Written out by hand, independently of the layouts the worker is
/// configured with, so a layout naming a wrong keyword is refused.
pub const CLUB_TEMPLATES: [(NoticeType, &str, &[&str]); 10] = [
    (
        NoticeType::SpotAvailable,
        "tmpl-spot-available",
        &["thing1", "time2", "time3", "thing4"],
    ),
    (
        NoticeType::SeatTaken,
        "tmpl-seat-taken",
        &["thing1", "time2", "phrase3", "thing4"],
    ),
    (
        NoticeType::HoldForYou,
        "tmpl-hold-for-you",
        &["thing1", "time2", "time4", "thing5"],
    ),
    (
        NoticeType::OfferExpired,
        "tmpl-offer-expired",
        &["thing1", "time2", "phrase3", "thing4"],
    ),
    (
        NoticeType::WaitlistExpired,
        "tmpl-waitlist-expired",
        &["phrase1", "thing2", "date3", "thing5"],
    ),
    (
        NoticeType::PositionChanged,
        "tmpl-position-changed",
        &["thing1", "time2", "number3", "thing4"],
    ),
    (
        NoticeType::MakeupBooked,
        "tmpl-makeup-booked",
        &["thing1", "time2", "thing3", "name4", "thing5"],
    ),
    (
        NoticeType::MakeupCancelled,
        "tmpl-makeup-cancelled",
        &["thing1", "time2", "name3", "phrase4", "thing6"],
    ),
    (
        NoticeType::CompensationExpiring,
        "tmpl-compensation-expiring",
        &["number1", "date2", "thing3"],
    ),
    (
        NoticeType::SeatConfirmed,
        "tmpl-seat-confirmed",
        &["thing1", "time2", "thing3", "thing4", "thing5"],
    ),
];

/// The club's template id for `kind`.
pub fn template_id(kind: NoticeType) -> &'static str {
    CLUB_TEMPLATES
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map(|(_, id, _)| *id)
        .expect("every type has a club template")
}

/// The openid `code2Session` answers for a login code.
pub fn openid_for_code(code: &str) -> String {
    format!("openid-{code}")
}

/// In normal mode WeChat hands out a new token during the last 5 minutes of the old one.
const HANDOVER: Duration = Duration::from_secs(300);
/// Force refreshes closer together than this return the current token.
const FORCE_INTERVAL: Duration = Duration::from_secs(30);
/// The double's mocks yield to any mock a test mounts itself (wiremock: 1 is highest).
const PRIORITY: u8 = 200;

/// A subscribe message the double accepted (errcode 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub access_token: String,
    pub touser: String,
    pub template_id: String,
    pub page: String,
    /// `{keyword: value}`
    pub data: HashMap<String, String>,
    pub miniprogram_state: String,
    pub lang: String,
}

/// What one send attempt was answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub touser: String,
    /// `None` for an injected HTTP error (no WeChat body).
    pub errcode: Option<i64>,
    pub errmsg: String,
}

/// A fault WeChat sometimes answers with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// An `errcode` in an HTTP 200 body, e.g. -1 (busy) or 45009 (rate limit).
    Errcode(i64),
    /// An HTTP status without a WeChat body, e.g. 502.
    Http(u16),
    /// Answers normally, after this long.
    Delay(Duration),
}

#[derive(Debug)]
struct Token {
    value: String,
    expires_at: Instant,
    revoked: bool,
}

struct State {
    appid: String,
    secret: String,
    pages: Vec<String>,
    templates: HashMap<String, Vec<Keyword>>,
    users: HashSet<String>,
    grants: HashMap<(String, String), u32>,
    tokens: Vec<Token>,
    token_lifetime: Duration,
    last_force: Option<Instant>,
    token_requests: Vec<bool>,
    faults: Vec<(String, Fault, usize)>,
    accepted: Vec<Sent>,
    answers: Vec<Answer>,
    rid: u64,
}

struct Shared {
    state: Mutex<State>,
    counts: watch::Sender<(usize, usize)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("double state")
    }
}

/// The double, on its own wiremock server (which tests may add mocks to: theirs win).
#[derive(Clone)]
pub struct WechatDouble {
    server: Arc<MockServer>,
    shared: Arc<Shared>,
}

impl std::ops::Deref for WechatDouble {
    type Target = MockServer;
    fn deref(&self) -> &MockServer {
        &self.server
    }
}

fn app_json_pages() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../miniprogram/app.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let app: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let pages = registered_pages(&app);
    assert!(!pages.is_empty(), "{path} registers no pages");
    pages
}

impl WechatDouble {
    /// A double for the mini-program `appid`/`secret` that knows the club's templates
    /// ([`CLUB_TEMPLATES`]) and the pages of `miniprogram/app.json`.
    pub async fn start(appid: &str, secret: &str) -> Self {
        let templates = CLUB_TEMPLATES
            .iter()
            .map(|(_, id, keywords)| {
                let keywords = keywords
                    .iter()
                    .map(|k| k.parse().expect("keyword"))
                    .collect();
                (id.to_string(), keywords)
            })
            .collect();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                appid: appid.to_string(),
                secret: secret.to_string(),
                pages: app_json_pages(),
                templates,
                users: HashSet::new(),
                grants: HashMap::new(),
                tokens: Vec::new(),
                token_lifetime: Duration::from_secs(7200),
                last_force: None,
                token_requests: Vec::new(),
                faults: Vec::new(),
                accepted: Vec::new(),
                answers: Vec::new(),
                rid: 0,
            }),
            counts: watch::channel((0, 0)).0,
        });
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/cgi-bin/stable_token"))
            .respond_with(TokenEndpoint(shared.clone()))
            .with_priority(PRIORITY)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/sns/jscode2session"))
            .respond_with(LoginEndpoint(shared.clone()))
            .with_priority(PRIORITY)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/cgi-bin/message/subscribe/send"))
            .respond_with(SendEndpoint(shared.clone()))
            .with_priority(PRIORITY)
            .mount(&server)
            .await;
        Self {
            server: Arc::new(server),
            shared,
        }
    }

    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Registers another template (id and its keywords).
    pub fn template(&self, id: &str, keywords: &[&str]) {
        let keywords = keywords
            .iter()
            .map(|k| k.parse().expect("keyword"))
            .collect();
        self.shared
            .lock()
            .templates
            .insert(id.to_string(), keywords);
    }

    /// A user of the mini-program (as `code2Session` makes them).
    pub fn user(&self, openid: &str) {
        self.shared.lock().users.insert(openid.to_string());
    }

    /// The user accepted `template_id` once in `wx.requestSubscribeMessage`.
    pub fn grant(&self, openid: &str, template_id: &str) {
        *self
            .shared
            .lock()
            .grants
            .entry((openid.to_string(), template_id.to_string()))
            .or_default() += 1;
    }

    pub fn grants_left(&self, openid: &str, template_id: &str) -> u32 {
        let key = (openid.to_string(), template_id.to_string());
        self.shared.lock().grants.get(&key).copied().unwrap_or(0)
    }

    /// Every token issued so far has run out (sends with it get 42001).
    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for t in &mut self.shared.lock().tokens {
            t.expires_at = t.expires_at.min(now);
        }
    }

    /// Every token issued so far is invalid, e.g. the AppSecret was reset (40001).
    pub fn revoke_tokens(&self) {
        for t in &mut self.shared.lock().tokens {
            t.revoked = true;
        }
    }

    /// The next `times` sends to `touser` get `fault`.
    pub fn inject(&self, touser: &str, fault: Fault, times: usize) {
        self.shared
            .lock()
            .faults
            .push((touser.to_string(), fault, times));
    }

    /// Every `stable_token` request, as `force_refresh`.
    pub fn token_requests(&self) -> Vec<bool> {
        self.shared.lock().token_requests.clone()
    }

    pub fn accepted(&self) -> Vec<Sent> {
        self.shared.lock().accepted.clone()
    }

    /// Every send attempt's answer, in order (injected faults included).
    pub fn answers(&self) -> Vec<Answer> {
        self.shared.lock().answers.clone()
    }

    /// Waits until `n` messages were accepted; fails the test after `limit`, or as soon as
    /// WeChat refused one for good (a retry cannot make it accepted).
    pub async fn wait_for_accepted(&self, n: usize, limit: Duration) -> Vec<Sent> {
        let refused = |shared: &Shared| {
            shared.lock().answers.iter().any(|a| {
                a.errcode
                    .is_some_and(|c| c != 0 && classify(c) == ErrorClass::Permanent)
            })
        };
        let shared = self.shared.clone();
        self.wait(
            move |(accepted, _)| accepted >= n || refused(&shared),
            limit,
            || format!("{n} accepted"),
        )
        .await;
        let accepted = self.accepted();
        assert!(
            accepted.len() >= n,
            "WeChat double refused a message: {:?}",
            self.answers()
        );
        accepted
    }

    /// Waits until `n` send attempts were answered; fails the test after `limit`.
    pub async fn wait_for_answers(&self, n: usize, limit: Duration) -> Vec<Answer> {
        self.wait(
            |(_, answered)| answered >= n,
            limit,
            || format!("{n} answers"),
        )
        .await;
        self.answers()
    }

    async fn wait(
        &self,
        done: impl Fn((usize, usize)) -> bool,
        limit: Duration,
        what: impl Fn() -> String,
    ) {
        let mut rx = self.shared.counts.subscribe();
        let reached = tokio::time::timeout(limit, rx.wait_for(|c| done(*c))).await;
        if reached.is_err() {
            panic!(
                "WeChat double: no {} within {limit:?}; answers so far: {:?}",
                what(),
                self.answers()
            );
        }
    }
}

fn answer(errcode: i64, errmsg: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": errcode, "errmsg": errmsg.into()}))
}

struct TokenEndpoint(Arc<Shared>);

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let mut st = self.0.lock();
        let force = body["force_refresh"].as_bool().unwrap_or(false);
        st.token_requests.push(force);
        if body["grant_type"] != "client_credential" {
            return answer(40002, "invalid grant_type");
        }
        if body["appid"] != st.appid.as_str() {
            return answer(40013, "invalid appid");
        }
        if body["secret"] != st.secret.as_str() {
            return answer(40125, "invalid appsecret");
        }
        let now = Instant::now();
        let recent_force = st.last_force.is_some_and(|t| now - t < FORCE_INTERVAL);
        let current = st
            .tokens
            .iter()
            .rev()
            .find(|t| !t.revoked && t.expires_at > now)
            .map(|t| (t.value.clone(), t.expires_at - now));
        let keep = match &current {
            Some((_, left)) if force => recent_force && *left > Duration::ZERO,
            Some((_, left)) => *left > HANDOVER,
            None => false,
        };
        if let (true, Some((value, left))) = (keep, current) {
            return ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": value, "expires_in": left.as_secs()}));
        }
        if force {
            st.last_force = Some(now);
            for t in &mut st.tokens {
                t.revoked = true;
            }
        }
        let value = format!("double-token-{}", st.tokens.len() + 1);
        let lifetime = st.token_lifetime;
        st.tokens.push(Token {
            value: value.clone(),
            expires_at: now + lifetime,
            revoked: false,
        });
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": value, "expires_in": lifetime.as_secs()}))
    }
}

struct LoginEndpoint(Arc<Shared>);

impl Respond for LoginEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let mut st = self.0.lock();
        let get = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
        if get("appid") != st.appid {
            return answer(40013, "invalid appid");
        }
        if get("secret") != st.secret {
            return answer(40125, "invalid appsecret");
        }
        if get("grant_type") != "authorization_code" {
            return answer(40002, "invalid grant_type");
        }
        let code = get("js_code");
        if code.is_empty() {
            return answer(40029, "invalid code");
        }
        let openid = openid_for_code(code);
        st.users.insert(openid.clone());
        ResponseTemplate::new(200)
            .set_body_json(json!({"openid": openid, "session_key": format!("sk-{code}")}))
    }
}

struct SendEndpoint(Arc<Shared>);

impl Respond for SendEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Option<Value> = serde_json::from_slice(&request.body).ok();
        let touser = body
            .as_ref()
            .and_then(|b| b["touser"].as_str())
            .unwrap_or_default()
            .to_string();
        let mut st = self.0.lock();
        let mut delay = None;
        match st.take_fault(&touser) {
            Some(Fault::Http(status)) => {
                self.record(st, touser, Err((None, format!("HTTP {status}"))));
                return ResponseTemplate::new(status);
            }
            Some(Fault::Errcode(errcode)) => {
                let errmsg = st.errmsg(match errcode {
                    -1 => "system error",
                    45009 => "reach max api daily quota limit",
                    _ => "injected fault",
                });
                return self.record(st, touser, Err((Some(errcode), errmsg)));
            }
            Some(Fault::Delay(d)) => delay = Some(d),
            None => {}
        }
        let token = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned());
        let verdict = st.judge(token.as_deref(), body.as_ref());
        let verdict = verdict.map_err(|(code, what)| (Some(code), st.errmsg(&what)));
        let response = self.record(st, touser, verdict);
        match delay {
            Some(d) => response.set_delay(d),
            None => response,
        }
    }
}

impl SendEndpoint {
    /// Records the answer (and the message, when accepted) and wakes waiting tests.
    fn record(
        &self,
        mut st: MutexGuard<'_, State>,
        touser: String,
        verdict: Result<Sent, (Option<i64>, String)>,
    ) -> ResponseTemplate {
        let (errcode, errmsg) = match verdict {
            Ok(sent) => {
                *st.grants
                    .get_mut(&(sent.touser.clone(), sent.template_id.clone()))
                    .expect("judged granted") -= 1;
                st.accepted.push(sent);
                (Some(0), "ok".to_string())
            }
            Err(e) => e,
        };
        st.answers.push(Answer {
            touser,
            errcode,
            errmsg: errmsg.clone(),
        });
        let counts = (st.accepted.len(), st.answers.len());
        drop(st);
        self.0.counts.send_replace(counts);
        answer(errcode.unwrap_or_default(), errmsg)
    }
}

impl State {
    fn take_fault(&mut self, touser: &str) -> Option<Fault> {
        let i = self
            .faults
            .iter()
            .position(|(u, _, n)| u == touser && *n > 0)?;
        self.faults[i].2 -= 1;
        Some(self.faults[i].1)
    }

    /// WeChat's errmsg style: what went wrong, then a request id.
    fn errmsg(&mut self, what: &str) -> String {
        self.rid += 1;
        format!("{what} rid: double-{:08x}", self.rid)
    }

    /// Every check of a send, in WeChat's order; the accepted message or (errcode, why).
    fn judge(&self, token: Option<&str>, body: Option<&Value>) -> Result<Sent, (i64, String)> {
        let access_token = self.token_check(token)?;
        let body = body
            .filter(|b| b.is_object())
            .ok_or((47001, "data format error".to_string()))?;
        let text = |key: &str| body[key].as_str().unwrap_or_default().to_string();
        let touser = text("touser");
        if !self.users.contains(&touser) {
            return Err((40003, format!("invalid openid {touser:?}")));
        }
        let template_id = text("template_id");
        let Some(keywords) = self.templates.get(&template_id) else {
            return Err((40037, format!("invalid template_id {template_id:?}")));
        };
        let miniprogram_state = one_of(
            body,
            "miniprogram_state",
            &["developer", "trial", "formal"],
            "formal",
        )?;
        let lang = one_of(body, "lang", &["zh_CN", "en_US", "zh_HK", "zh_TW"], "zh_CN")?;
        let page = text("page");
        if !page.is_empty() {
            check_page(&self.pages, &page).map_err(|e| (41030, format!("invalid page: {e}")))?;
        }
        let data = data_check(keywords, &body["data"])?;
        let granted = self
            .grants
            .get(&(touser.clone(), template_id.clone()))
            .is_some_and(|n| *n > 0);
        if !granted {
            return Err((43101, "user refuse to accept the msg".to_string()));
        }
        Ok(Sent {
            access_token,
            touser,
            template_id,
            page,
            data,
            miniprogram_state,
            lang,
        })
    }

    fn token_check(&self, token: Option<&str>) -> Result<String, (i64, String)> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or((41001, "access_token missing".to_string()))?;
        let invalid = (
            40001,
            "invalid credential, access_token is invalid or not latest".to_string(),
        );
        let issued = self
            .tokens
            .iter()
            .find(|t| t.value == token)
            .ok_or(invalid.clone())?;
        if issued.revoked {
            return Err(invalid);
        }
        if issued.expires_at <= Instant::now() {
            return Err((42001, "access_token expired".to_string()));
        }
        Ok(token.to_string())
    }
}

/// An optional field with a fixed set of values (its default when absent).
fn one_of(
    body: &Value,
    key: &str,
    allowed: &[&str],
    default: &str,
) -> Result<String, (i64, String)> {
    match &body[key] {
        Value::Null => Ok(default.to_string()),
        Value::String(s) if allowed.contains(&s.as_str()) => Ok(s.clone()),
        other => Err((
            47003,
            format!("argument invalid! {key} {other} is not one of {allowed:?}"),
        )),
    }
}

/// `data` holds exactly the template's keywords, each `{"value": text}` fitting its type.
fn data_check(
    keywords: &[Keyword],
    data: &Value,
) -> Result<HashMap<String, String>, (i64, String)> {
    let invalid = |what: String| (47003, format!("argument invalid! {what}"));
    let object = data
        .as_object()
        .ok_or_else(|| invalid("data is not an object".into()))?;
    let wanted: BTreeSet<&str> = keywords.iter().map(Keyword::name).collect();
    let given: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    if let Some(extra) = given.difference(&wanted).next() {
        return Err(invalid(format!(
            "data.{extra} is not a keyword of the template"
        )));
    }
    let mut values = HashMap::new();
    for keyword in keywords {
        let name = keyword.name();
        let value = object
            .get(name)
            .and_then(|v| v["value"].as_str())
            .ok_or_else(|| invalid(format!("data.{name}.value is empty")))?;
        check(keyword.kind(), value)
            .map_err(|v| invalid(format!("data.{name}.value {value:?} {v}")))?;
        values.insert(name.to_string(), value.to_string());
    }
    Ok(values)
}
