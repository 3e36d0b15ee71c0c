//! What the pairing panel reads: visits, open tasks, idle pairs and the
//! selection's task history, for the actor's scope.

use crate::access::{
    BeneficiaryPairingsQ, BeneficiaryTasksQ, IdlePairedQ, ReadError, Session, SuggestQ, TasksQ,
    VisitsQ,
};
use crate::domain::BeneficiaryId;
use crate::tui::app::{App, Layer};
use crate::tui::form::Form;
use crate::tui::words;

/// The pairing panel's figures for the actor's scope.
pub fn load_care(s: &Session, app: &mut App) -> Result<(), ReadError> {
    let h = app.list_height.saturating_sub(2);
    let today = app.today;
    let p = &mut app.pairing;
    p.visits = s.ask(VisitsQ { today, org: None })?;
    if let Some(b) = p.pending_select.take()
        && let Some(i) = p.visits.iter().position(|v| v.beneficiary.id == b)
    {
        p.cursor.selected = i;
    }
    p.tasks = s.ask(TasksQ {
        today,
        overdue_only: false,
        org: None,
    })?;
    p.idle = s.ask(IdlePairedQ { today })?;
    p.loaded = true;
    p.cursor.keep_visible(p.visits.len(), h);
    p.task_cursor.keep_visible(p.tasks.len(), h);
    p.history = match p.beneficiary() {
        Some(b) => s.ask(BeneficiaryTasksQ(b))?,
        None => Vec::new(),
    };
    p.pairings = match p.beneficiary() {
        Some(b) => s.ask(BeneficiaryPairingsQ(b))?,
        None => Vec::new(),
    };
    Ok(())
}

/// Opens the new-pairing form with the members suggested for a beneficiary,
/// each with why.
pub fn suggest(s: &Session, app: &mut App, b: BeneficiaryId) -> Result<(), ReadError> {
    let list = s.ask(SuggestQ {
        beneficiary: b,
        limit: 12,
    })?;
    let options = list
        .into_iter()
        .map(|sug| {
            let why: Vec<String> = sug
                .reasons
                .iter()
                .map(|r| words::suggestion_reason(app.lang, r))
                .collect();
            let why = why.join("，");
            (format!("{} · {why}", sug.member.data.name), sug.member.id.0)
        })
        .collect();
    let form = Form::new_pairing(app.lang, b, options, app.today);
    app.layers.push(Layer::Form(Box::new(form)));
    Ok(())
}
