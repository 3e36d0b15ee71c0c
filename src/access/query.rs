//! The shape every read has: a `Query` is a serialisable question with a typed
//! answer, answered by the process that owns the store through a `View` — the
//! store as one actor sees it. A question outside the actor's sight gets the
//! answer a missing record would get, word for word.

use super::sight::Sight;
use crate::domain::*;
use crate::ops::{Actor, Said};
use crate::report::points::Scope;
use crate::store::{Store, StoreError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Why a read was not answered. Every message in both languages.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ReadError {
    #[error("not found: {0}")]
    NotFound(Said),
    #[error("not allowed: {0}")]
    Forbidden(Said),
    #[error("{0}")]
    Invalid(Said),
    /// The store could not answer (damage, an unreadable record…).
    #[error("{0}")]
    Store(Said),
}

impl ReadError {
    pub fn in_lang(&self, zh: bool) -> String {
        if !zh {
            return self.to_string();
        }
        match self {
            ReadError::NotFound(s) => format!("找不到{}", s.zh),
            ReadError::Forbidden(s) => format!("没有权限：{}", s.zh),
            ReadError::Invalid(s) => s.zh.clone(),
            ReadError::Store(e) => e.zh.clone(),
        }
    }

    pub fn not_found(en: impl Into<String>, zh: impl Into<String>) -> ReadError {
        ReadError::NotFound(Said::new(en, zh))
    }

    pub fn forbidden(en: impl Into<String>, zh: impl Into<String>) -> ReadError {
        ReadError::Forbidden(Said::new(en, zh))
    }
}

impl From<StoreError> for ReadError {
    fn from(e: StoreError) -> ReadError {
        ReadError::Store(Said::new(e.in_lang(false), e.in_lang(true)))
    }
}

impl From<crate::ops::OpsError> for ReadError {
    fn from(e: crate::ops::OpsError) -> ReadError {
        use crate::ops::OpsError as E;
        match e {
            E::NotFound(s) => ReadError::NotFound(s),
            E::Forbidden(s) => ReadError::Forbidden(s),
            E::Store(s) => ReadError::from(s),
            other => ReadError::Invalid(Said::new(other.in_lang(false), other.in_lang(true))),
        }
    }
}

/// The store as one actor sees it. Built by the owner of the files for each
/// request; its reads are the only way a question gets at the store.
pub struct View<'a> {
    pub(crate) store: &'a Store,
    pub actor: &'a Actor,
    pub sight: Sight,
}

impl<'a> View<'a> {
    pub fn new(store: &'a Store, actor: &'a Actor) -> Result<View<'a>, ReadError> {
        Ok(View {
            store,
            actor,
            sight: Sight::of(store, actor)?,
        })
    }

    /// The scope a report covers: `org` if the actor sees it, else their own.
    /// A unit outside their sight is "not found", as one that does not exist.
    pub fn scope(&self, org: Option<OrgUnitId>) -> Result<Scope, ReadError> {
        match org {
            None => Ok(self.actor.scope.map_or(Scope::Community, Scope::Subtree)),
            Some(unit) => {
                if self.sight.sees(unit) && self.store.get_id::<OrgUnit>(unit.0)?.is_some() {
                    Ok(Scope::Subtree(unit))
                } else {
                    Err(no_unit(unit))
                }
            }
        }
    }

    /// A member within sight, masked as the table says.
    pub fn member(&self, id: MemberId) -> Result<Option<Member>, ReadError> {
        Ok(self
            .store
            .get_id::<Member>(id.0)?
            .and_then(|m| self.sight.member(m)))
    }

    /// As `member`, a missing or unseen member being an error.
    pub fn member_or_not_found(&self, id: MemberId) -> Result<Member, ReadError> {
        self.member(id)?
            .ok_or_else(|| ReadError::not_found(format!("member {id}"), format!("党员 {id}")))
    }

    pub fn require_admin(&self) -> Result<(), ReadError> {
        if self.sight.is_admin() && self.actor.scope.is_none() {
            return Ok(());
        }
        Err(ReadError::forbidden(
            format!(
                "only a committee admin may do this; `{}` is {}",
                self.actor.login,
                self.actor.role.name_en()
            ),
            format!(
                "只有党委管理员可以这样做；`{}` 是{}",
                self.actor.login,
                self.actor.role.name_zh()
            ),
        ))
    }
}

pub fn no_unit(unit: OrgUnitId) -> ReadError {
    ReadError::not_found(format!("org unit {unit}"), format!("组织 {unit}"))
}

/// A question with a typed answer.
pub trait Query: Into<super::Read> {
    type Answer: Serialize + DeserializeOwned;
    fn answer(self, view: &View) -> Result<Self::Answer, ReadError>;
}

/// Declares `Read` (every question, as it travels), its `From`s, and
/// `answer_read`, which answers one as an actor and encodes the result (an
/// error travels typed, as the answer would).
macro_rules! reads {
    ($($(#[$doc:meta])* $variant:ident($query:ty),)*) => {
        /// Every question a client may ask the owner of a store.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub enum Read {
            $($(#[$doc])* $variant($query),)*
        }

        $(impl From<$query> for Read {
            fn from(q: $query) -> Read {
                Read::$variant(q)
            }
        })*

        /// Answers `read` as `actor` on the store's own files; the encoded
        /// `Result` of the answer.
        pub fn answer_read(
            store: &crate::store::Store,
            actor: &crate::ops::Actor,
            read: Read,
        ) -> Result<Vec<u8>, crate::store::StoreError> {
            let view = match $crate::access::View::new(store, actor) {
                Ok(view) => view,
                Err(e) => return crate::store::wire::encode_answer(&Err::<(), _>(e)),
            };
            match read {
                $(Read::$variant(q) => {
                    crate::store::wire::encode_answer(&$crate::access::Query::answer(q, &view))
                })*
            }
        }
    };
}
pub(crate) use reads;
