//! Files in and out of the store: the ledger journal export (CSV, Excel and
//! backups belong here too). Reads the store through its typed reads; never
//! writes to it and never touches the terminal.

pub mod journal;
