//! How a plan is told: its problems, each said once however many rows share
//! it, and each update with the fields it changes.

use super::{Plan, PlannedRow, Problem};

/// One field an update changes, for the preview (ID numbers and phones masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field_en: &'static str,
    pub field_zh: &'static str,
    pub old: String,
    pub new: String,
}

impl Change {
    pub fn line(&self, zh: bool) -> String {
        let shown = |v: &str| {
            if v.is_empty() {
                if zh {
                    "（空）".to_string()
                } else {
                    "(empty)".to_string()
                }
            } else {
                v.to_string()
            }
        };
        let field = if zh { self.field_zh } else { self.field_en };
        format!("{field} {} → {}", shown(&self.old), shown(&self.new))
    }
}

impl PlannedRow {
    /// `row 4: updates 张三: phone 139****5678 → 138****8000; …`
    pub fn update_line(&self, zh: bool) -> String {
        let changes: Vec<String> = self.changes.iter().map(|c| c.line(zh)).collect();
        match (zh, changes.is_empty()) {
            (false, true) => format!("row {}: updates {}", self.row, self.record.name()),
            (false, false) => format!(
                "row {}: updates {}: {}",
                self.row,
                self.record.name(),
                changes.join("; ")
            ),
            (true, true) => format!("第 {} 行：更新 {}", self.row, self.record.name()),
            (true, false) => format!(
                "第 {} 行：更新 {}：{}",
                self.row,
                self.record.name(),
                changes.join("；")
            ),
        }
    }
}

impl Plan {
    /// Every problem as a line: the file's first, then the rows'. A problem
    /// many rows share (the same words at the same column) is said once, with
    /// the rows it is in, so 2,000 rows missing one thing make one line.
    pub fn problem_lines(&self, zh: bool) -> Vec<String> {
        let mut out: Vec<String> = self.file_problems.iter().map(|p| p.line(zh)).collect();
        let mut groups: Vec<(&Problem, Vec<usize>)> = Vec::new();
        let mut index: std::collections::HashMap<(&Option<String>, &str), usize> =
            std::collections::HashMap::new();
        for p in &self.problems {
            match index.get(&(&p.column, p.en.as_str())) {
                Some(&i) => groups[i].1.push(p.row),
                None => {
                    index.insert((&p.column, p.en.as_str()), groups.len());
                    groups.push((p, vec![p.row]));
                }
            }
        }
        for (p, rows) in groups {
            if rows.len() == 1 {
                out.push(p.line(zh));
                continue;
            }
            let shown: Vec<String> = rows.iter().take(5).map(|r| r.to_string()).collect();
            let last = rows.last().copied().unwrap_or_default();
            let tail = match (rows.len(), zh) {
                (6, _) => format!(", {last}"),
                (n, false) if n > 6 => format!(" … {last}"),
                (n, true) if n > 6 => format!("…{last}"),
                _ => String::new(),
            };
            let n = rows.len();
            out.push(match (zh, &p.column) {
                (false, Some(c)) => {
                    format!(
                        "rows {}{tail} ({n} rows), column {c}: {}",
                        shown.join(", "),
                        p.en
                    )
                }
                (false, None) => format!("rows {}{tail} ({n} rows): {}", shown.join(", "), p.en),
                (true, Some(c)) => format!(
                    "第 {}{} 行（共 {n} 行），{c}列：{}",
                    shown.join("、"),
                    tail.replace(", ", "、"),
                    p.zh
                ),
                (true, None) => format!(
                    "第 {}{} 行（共 {n} 行）：{}",
                    shown.join("、"),
                    tail.replace(", ", "、"),
                    p.zh
                ),
            });
        }
        out
    }
}
