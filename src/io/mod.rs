//! Files in and out of the store: spreadsheet import (members, beneficiaries),
//! CSV and Excel export (rows built in `export` and `monthly` as `table`s,
//! written by `csv_cell` and `xlsx`), the ledger journal, and backup / restore.
//!
//! Imports write only through `ops` (`Command`s in group-committed batches);
//! exports and backups read the store through its typed and raw reads. Nothing
//! here touches the terminal: progress is reported through callbacks.

pub mod atomic;
pub mod backup;
pub mod columns;
pub mod csv_cell;
pub mod export;
pub mod flows_import;
pub mod import;
pub mod journal;
pub mod monthly;
pub mod notice;
pub mod orglife;
pub mod sheet;
pub mod table;
pub mod xlsx;
