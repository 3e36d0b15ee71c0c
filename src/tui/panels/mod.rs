//! The seven panels, one folder each: its state and update (`mod.rs`), its
//! drawing (`view.rs`) and, where it reads more than the app holds, what it
//! loads through the session (`load.rs`). A panel imports the TUI's shared
//! modules (`action`, `cursor`, `app`'s `App`, `text`, `words`, …), never
//! another panel: what two panels share lives in those.

pub mod activities;
pub mod org;
pub mod orglife;
pub mod overview;
pub mod pairing;
pub mod points;
pub mod roster;
