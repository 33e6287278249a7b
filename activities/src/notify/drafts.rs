//! Which notifications also go out over WeChat: WeChat configured and a template layout set
//! for the type (`WECHAT_TEMPLATE_<TYPE>` + `WECHAT_TEMPLATE_<TYPE>_FIELDS`). The message is
//! rendered with the in-app one.

use crate::db::notifications::WechatDraft;
use crate::notify::pages::Page;
use crate::notify::templates::{Facts, NoticeType};
use crate::wechat::layout::Layout;
use crate::wechat::message;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct WechatDrafts {
    enabled: bool,
    layouts: Arc<BTreeMap<NoticeType, Layout>>,
}

impl WechatDrafts {
    pub fn new(enabled: bool, layouts: BTreeMap<NoticeType, Layout>) -> Self {
        Self {
            enabled,
            layouts: Arc::new(layouts),
        }
    }

    /// WeChat off: in-app only.
    pub fn disabled() -> Self {
        Self::default()
    }

    /// The subscribe message of a `kind` notification, or `None` when WeChat is off, the type
    /// has no template, or the facts cannot fill the layout (logged: in-app only then, never a
    /// message WeChat would refuse).
    pub fn draft(
        &self,
        kind: NoticeType,
        facts: &Facts,
        tz: Tz,
        page: &Page,
    ) -> Option<WechatDraft> {
        if !self.enabled {
            return None;
        }
        let layout = self.layouts.get(&kind)?;
        match message::data(layout, kind, facts, tz) {
            Ok(data) => Some(WechatDraft {
                template_id: layout.template_id.clone(),
                page: page.as_str().to_string(),
                data,
            }),
            Err(error) => {
                tracing::error!(%kind, %error, "WeChat message not drafted: in-app only");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::pages;

    fn drafts(enabled: bool) -> WechatDrafts {
        let layout = Layout::parse(
            NoticeType::SeatTaken,
            "tmpl-taken",
            "thing1=course,phrase2=status",
        )
        .unwrap();
        WechatDrafts::new(enabled, BTreeMap::from([(NoticeType::SeatTaken, layout)]))
    }

    fn facts() -> Facts {
        Facts {
            course_name: "初级体操".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_type_with_a_layout_gets_its_template_page_and_data() {
        let tz = chrono_tz::Asia::Shanghai;
        let d = drafts(true)
            .draft(NoticeType::SeatTaken, &facts(), tz, &pages::offer(7))
            .unwrap();
        assert_eq!(d.template_id, "tmpl-taken");
        assert_eq!(d.page, "pages/waitlist/offer?id=7");
        assert_eq!(
            d.data,
            serde_json::json!({"thing1": {"value": "初级体操"}, "phrase2": {"value": "已被抢占"}})
        );
        assert!(
            drafts(true)
                .draft(NoticeType::OfferExpired, &facts(), tz, &pages::offer(7))
                .is_none(),
            "no layout, no WeChat message"
        );
        assert!(
            drafts(false)
                .draft(NoticeType::SeatTaken, &facts(), tz, &pages::offer(7))
                .is_none()
        );
        assert!(
            drafts(true)
                .draft(
                    NoticeType::SeatTaken,
                    &Facts::default(),
                    tz,
                    &pages::offer(7)
                )
                .is_none(),
            "a course-less notice is not sent with a placeholder"
        );
    }
}
