//! dangjian: a keyboard-driven terminal application for community party
//! organisations. Layers, read in this order: `domain` (types, validation,
//! search keys), `store` (sled), `ops` (the Command seam), `report`, `io`,
//! `access` (every read as an actor, and the `Session` clients hold), `server`,
//! `demo`, `tui`, `cli`. Only `tui` and `cli` know about the terminal.

pub mod access;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod identity;
pub mod io;
pub mod ops;
pub mod report;
pub mod server;
pub mod store;
pub mod tui;
