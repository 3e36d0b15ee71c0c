//! What each user may read through the server: the one table of read rules.
//! Writes are authorised by `ops::apply` itself; this is the read side, applied
//! to every value before it leaves the server and to every change notice.
//!
//! | tree             | committee admin | anyone else                                  |
//! |------------------|-----------------|----------------------------------------------|
//! | `users`          | all             | their own record only                        |
//! | `audit`          | all             | their own entries only                       |
//! | `members`        | all             | ID number and phone blanked unless they may  |
//! |                  |                 | reveal the member (`Actor::may_reveal`)      |
//! | `ix_member_idno` | all             | entries of members they may reveal           |
//! | every other tree | all             | all                                          |
//!
//! `may_reveal` is the TUI's rule: committee admins, and a branch secretary for
//! members of their own branch; group leaders and viewers never. OS users who
//! are not users of the store get nothing at all: the connection refuses them
//! before any of this. Notices follow the same table: a change to a user only
//! to admins, member data masked as above, the changer's login only where the
//! audit rule would show it.

use crate::domain::{AuditEntry, Member, OrgUnitId, Role};
use crate::ops::remote::Notice;
use crate::ops::{Actor, Command};
use crate::store::codec::{decode, decode_i64, encode};
use crate::store::{Store, StoreError, Tree};
use std::collections::HashMap;

/// What a reader gets of one tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    All,
    /// Only what belongs to the reader (by login).
    Own,
    /// Member records, with what they may not reveal blanked.
    MaskedMembers,
    /// The ID-number index, only for members they may reveal.
    RevealableIdNumbers,
}

/// The rule table above, as code.
pub fn reading(actor: &Actor, tree: Tree) -> Reading {
    if actor.role == Role::CommitteeAdmin {
        return Reading::All;
    }
    match tree {
        Tree::Users | Tree::Audit => Reading::Own,
        Tree::Members => Reading::MaskedMembers,
        Tree::IxMemberIdno => Reading::RevealableIdNumbers,
        _ => Reading::All,
    }
}

/// Applies the read rules for one actor, remembering which units they may
/// reveal (a page of members shares a handful of units).
pub struct Reader<'a> {
    store: &'a Store,
    actor: &'a Actor,
    revealable: HashMap<OrgUnitId, bool>,
}

impl<'a> Reader<'a> {
    pub fn new(store: &'a Store, actor: &'a Actor) -> Reader<'a> {
        Reader {
            store,
            actor,
            revealable: HashMap::new(),
        }
    }

    fn may_reveal(&mut self, unit: OrgUnitId) -> Result<bool, StoreError> {
        if let Some(&known) = self.revealable.get(&unit) {
            return Ok(known);
        }
        let may = self.actor.may_reveal(self.store, unit)?;
        self.revealable.insert(unit, may);
        Ok(may)
    }

    /// The value as this reader may see it, or `None` when it is withheld.
    pub fn value(
        &mut self,
        tree: Tree,
        key: &[u8],
        value: &[u8],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        match reading(self.actor, tree) {
            Reading::All => Ok(Some(value.to_vec())),
            Reading::Own => {
                let own = match tree {
                    Tree::Users => key == self.actor.login.as_bytes(),
                    _ => decode::<AuditEntry>(key, value)?.login == self.actor.login,
                };
                Ok(own.then(|| value.to_vec()))
            }
            Reading::MaskedMembers => {
                let mut member: Member = decode(key, value)?;
                if self.may_reveal(member.data.unit)? {
                    return Ok(Some(value.to_vec()));
                }
                member.data.id_number.clear();
                member.data.phone.clear();
                Ok(Some(encode(&member)?))
            }
            Reading::RevealableIdNumbers => {
                let id = decode_i64(tree, key, value)?;
                let member = self.store.get_id::<Member>(id as u64)?;
                let may = match member {
                    Some(m) => self.may_reveal(m.data.unit)?,
                    None => false,
                };
                Ok(may.then(|| value.to_vec()))
            }
        }
    }

    /// A change notice as this reader may see it, or `None`.
    pub fn notice(&mut self, notice: &Notice) -> Result<Option<Notice>, StoreError> {
        let admin = self.actor.role == Role::CommitteeAdmin;
        let mut out = notice.clone();
        match &mut out.cmd {
            Command::AddUser { .. } | Command::UpdateUser { .. } if !admin => return Ok(None),
            Command::CreateMember { data } | Command::UpdateMember { data, .. }
                if !self.may_reveal(data.unit)? =>
            {
                data.id_number.clear();
                data.phone.clear();
            }
            _ => {}
        }
        if !admin && out.login.as_deref() != Some(self.actor.login.as_str()) {
            out.login = None;
        }
        out.applied.inverse = None;
        Ok(Some(out))
    }
}
