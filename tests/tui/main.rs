//! The TUI on a TestBackend with the sample community: snapshots of every view
//! in both languages at 80×24, key sequences that add, edit, undo and find a
//! member, and a resize storm down to 20×5.

#[path = "../common/mod.rs"]
mod common;
mod harness;

mod arriving;
mod checkin;
mod evaluation;
mod exits;
mod fields;
mod finder;
mod first_start;
mod import;
mod ledger;
mod many;
mod orglife;
mod orglife_lists;
mod overview;
mod pairing;
mod points_keys;
mod roll;
mod roster_status;
mod screens;
mod sequences;
mod undo;
mod widgets;
