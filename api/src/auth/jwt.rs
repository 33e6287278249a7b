//! HS256 tokens: `sub` = user id, `role` = parent | admin.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const PARENT_TOKEN_TTL: Duration = Duration::days(7);
pub const ADMIN_TOKEN_TTL: Duration = Duration::hours(12);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Parent,
    Admin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: i64,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &str) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }

    /// A token for `user_id` valid for `ttl`; returns it with its expiry.
    pub fn issue(&self, user_id: i64, role: Role, ttl: Duration) -> (String, DateTime<Utc>) {
        let now = Utc::now();
        let exp = now + ttl;
        let claims = Claims {
            sub: user_id,
            role,
            iat: now.timestamp(),
            exp: exp.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with an in-memory key cannot fail");
        (token, exp)
    }

    /// The claims of a valid, unexpired token.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let keys = JwtKeys::new("k1-0123456789abcdef0123456789abcdef");
        let (token, _) = keys.issue(42, Role::Parent, PARENT_TOKEN_TTL);
        let claims = keys.verify(&token).unwrap();
        assert_eq!((claims.sub, claims.role), (42, Role::Parent));
        assert!(
            JwtKeys::new("k2-0123456789abcdef0123456789abcdef")
                .verify(&token)
                .is_none()
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = JwtKeys::new("k1-0123456789abcdef0123456789abcdef");
        let (token, _) = keys.issue(1, Role::Admin, Duration::seconds(-60));
        assert!(keys.verify(&token).is_none());
    }
}
