//! Which notifications also go out over WeChat: WeChat configured and a template id set for
//! the type (`WECHAT_TEMPLATE_<TYPE>`). The message is rendered with the in-app one.

use crate::db::notifications::WechatDraft;
use crate::notify::templates::{Facts, NoticeType};
use crate::wechat::message;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct WechatDrafts {
    enabled: bool,
    templates: Arc<BTreeMap<NoticeType, String>>,
}

impl WechatDrafts {
    pub fn new(enabled: bool, templates: BTreeMap<NoticeType, String>) -> Self {
        Self {
            enabled,
            templates: Arc::new(templates),
        }
    }

    /// WeChat off: in-app only.
    pub fn disabled() -> Self {
        Self::default()
    }

    pub fn draft(
        &self,
        kind: NoticeType,
        facts: &Facts,
        tz: Tz,
        page: &str,
    ) -> Option<WechatDraft> {
        if !self.enabled {
            return None;
        }
        let template_id = self.templates.get(&kind)?;
        Some(WechatDraft {
            template_id: template_id.clone(),
            page: page.to_string(),
            data: message::data(kind, facts, tz),
        })
    }
}
