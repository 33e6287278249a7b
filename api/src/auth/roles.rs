//! Staff roles (issue 14): an owner may do everything; staff run the day (queues, families,
//! messages, credits) but cannot change settings or accounts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Owner,
    Staff,
}

impl StaffRole {
    /// The stored role; anything unknown (or missing) is the lesser role.
    pub fn parse(stored: Option<&str>) -> Self {
        match stored {
            Some("owner") => Self::Owner,
            _ => Self::Staff,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Staff => "staff",
        }
    }

    /// A role named in a request; `None` for anything else.
    pub fn from_input(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_missing_roles_get_the_lesser_role() {
        assert_eq!(StaffRole::parse(Some("owner")), StaffRole::Owner);
        assert_eq!(StaffRole::parse(Some("staff")), StaffRole::Staff);
        assert_eq!(StaffRole::parse(Some("root")), StaffRole::Staff);
        assert_eq!(StaffRole::parse(None), StaffRole::Staff);
        assert_eq!(StaffRole::from_input("admin"), None);
    }
}
