//! The problem report `--skip-invalid` writes: one line per row left out, with
//! what is wrong with it and the row's own cells under the file's own headers,
//! so the report can be corrected and imported again as it is.

use super::{Plan, Problem};
use crate::io::atomic::write_atomically;
use crate::io::csv_cell::escape_text;
use std::collections::BTreeMap;
use std::path::Path;

/// Writes the report as UTF-8 CSV with a BOM (so Excel shows the Chinese).
pub fn write_report(
    plan: &Plan,
    late: &[Problem],
    path: &Path,
    zh: bool,
) -> std::io::Result<usize> {
    let mut by_row: BTreeMap<usize, Vec<&Problem>> = BTreeMap::new();
    for p in plan.problems.iter().chain(late) {
        by_row.entry(p.row).or_default().push(p);
    }
    let cells: BTreeMap<usize, &Vec<String>> = plan.bad_rows.iter().map(|(n, c)| (*n, c)).collect();
    let (row_h, problem_h) = if zh {
        ("行号", "问题")
    } else {
        ("row", "problems")
    };
    write_atomically(path, |w| {
        w.write_all(b"\xEF\xBB\xBF")?;
        let mut csv = csv::WriterBuilder::new().flexible(true).from_writer(w);
        let mut header = vec![row_h.to_string(), problem_h.to_string()];
        header.extend(plan.headers.iter().cloned());
        csv.write_record(header.iter().map(|h| escape_text(h).into_owned()))?;
        for (row, problems) in &by_row {
            let what: Vec<String> = problems
                .iter()
                .map(|p| match (&p.column, zh) {
                    (Some(c), false) => format!("{c}: {}", p.en),
                    (Some(c), true) => format!("{c}：{}", p.zh),
                    (None, false) => p.en.clone(),
                    (None, true) => p.zh.clone(),
                })
                .collect();
            let mut line = vec![row.to_string(), what.join(if zh { "；" } else { "; " })];
            if let Some(c) = cells.get(row) {
                line.extend(c.iter().cloned());
            }
            // Escaped as the exports are, so a spreadsheet opens it safely and
            // the import reads the cells back as they were.
            for cell in &mut line {
                *cell = escape_text(cell).into_owned();
            }
            csv.write_record(&line)?;
        }
        csv.flush()?;
        Ok::<_, std::io::Error>(())
    })?;
    Ok(by_row.len())
}
