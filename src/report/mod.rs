//! Aggregations over the store: counts, balances, rankings, activation and
//! coverage. Reads only; never writes, never touches the terminal.

pub mod attendance;
pub mod care;
pub mod evaluation;
pub mod movement;
pub mod notice;
pub mod orglife;
pub mod overview;
pub mod period;
pub mod points;
pub mod summary;
