//! Every command's happy path and refusals, authority and atomicity, on real
//! sled stores in temp directories.

#[path = "../common/mod.rs"]
mod common;

mod activities;
mod atomicity;
mod authority;
mod care;
mod members;
mod org;
mod points;
mod roster;
mod uncreate;
mod users;
