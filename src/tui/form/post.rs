//! The post forms (设岗定责): a post in the catalogue with its
//! responsibilities (retired, not deleted, when no longer used), and a
//! member put on a post or taken off it.

use super::{Field, FieldId, Form, FormKind, Pick};
use crate::domain::*;
use crate::ops::Command;
use crate::tui::app::MemberRow;
use crate::tui::i18n::{Lang, t};
use std::collections::HashMap;

fn post_fields(lang: Lang, d: &PostData) -> Vec<Field> {
    let active = vec![
        (t(lang, "ol.post_active").to_string(), Pick::Yes(true)),
        (t(lang, "ol.retired").to_string(), Pick::Yes(false)),
    ];
    vec![
        Field::required(FieldId::UnitName, &d.name),
        Field::free(FieldId::Responsibilities, &d.responsibilities),
        Field::choice(FieldId::PostState, active, Pick::Yes(d.active)),
    ]
}

impl Form {
    pub fn new_post(lang: Lang) -> Form {
        let d = PostData {
            name: String::new(),
            responsibilities: String::new(),
            active: true,
        };
        Form::with(
            FormKind::NewPost,
            "form.new_post",
            lang,
            post_fields(lang, &d),
        )
    }

    pub fn edit_post(lang: Lang, p: &Post) -> Form {
        let fields = post_fields(lang, &p.data);
        Form::with(FormKind::EditPost(p.id), "form.edit_post", lang, fields)
    }

    /// Puts a member, typed by name, on the post.
    pub fn assign_post(lang: Lang, p: &Post) -> Form {
        let fields = vec![Field::required(FieldId::Member, "")];
        let kind = FormKind::AssignPost {
            post: p.id,
            assigned: true,
        };
        Form::with(kind, "form.assign_post", lang, fields)
    }

    /// Takes one of the post's holders off it.
    pub fn unassign_post(lang: Lang, p: &Post, holders: Vec<(String, u64)>) -> Form {
        let first = holders.first().map_or(0, |h| h.1);
        let fields = vec![Field::ids(FieldId::Holder, holders, first)];
        let kind = FormKind::AssignPost {
            post: p.id,
            assigned: false,
        };
        Form::with(kind, "form.unassign_post", lang, fields)
    }

    pub(super) fn post_data(&self) -> PostData {
        PostData {
            name: self.text(FieldId::UnitName),
            responsibilities: self.text(FieldId::Responsibilities),
            active: self.picked(FieldId::PostState).unwrap_or(true),
        }
    }

    pub(super) fn assign_command(
        &mut self,
        post: PostId,
        assigned: bool,
        members: &[MemberRow],
        index: &HashMap<MemberId, usize>,
    ) -> Result<Command, String> {
        let member = if assigned {
            self.member(FieldId::Member, members, index)?
        } else {
            MemberId(self.id(FieldId::Holder))
        };
        Ok(Command::AssignPost {
            member,
            post,
            assigned,
        })
    }
}
