//! What every part of the TUI shares and nothing else: the panels, the
//! actions keys become, the effects an update hands the runner, and the
//! answer a layer or panel gives to an action. A leaf: it imports no other
//! module of the TUI, so panels, layers and the app can all import it.

use crate::domain::*;
use crate::io::import::ImportKind;
use crate::ops::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Org,
    Members,
    Pairing,
    Points,
    Activities,
    Overview,
    /// 组织生活: 三会一课, committees, members who move, partners, posts.
    OrgLife,
}

impl Panel {
    pub const ALL: [Panel; 7] = [
        Panel::Org,
        Panel::Members,
        Panel::Pairing,
        Panel::Points,
        Panel::Activities,
        Panel::Overview,
        Panel::OrgLife,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Panel::Org => "panel.org",
            Panel::Members => "panel.members",
            Panel::Pairing => "panel.pairing",
            Panel::Points => "panel.points",
            Panel::Activities => "panel.activities",
            Panel::Overview => "panel.overview",
            Panel::OrgLife => "panel.orglife",
        }
    }

    pub(crate) fn index(self) -> usize {
        Panel::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Back,
    /// `q` on a panel: quit, asking first when something is unsaved.
    Quit,
    ForceQuit,
    NextPanel,
    PrevPanel,
    GoPanel(usize),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Expand,
    Collapse,
    Enter,
    Help,
    ShowMembers,
    StartSearch,
    SearchKey(crossterm::event::KeyEvent),
    SearchDone,
    Sort,
    Reveal,
    Undo,
    /// Apply again what undo took back (Ctrl-R).
    Redo,
    NewMember,
    Edit,
    NewUnit,
    /// Who may use the store (committee admins).
    OpenUsers,
    UserAdd,
    UserRevoke,
    MoveUnit,
    CloseUnit,
    FormKey(crossterm::event::KeyEvent),
    FormNext,
    FormPrev,
    FormChoice(isize),
    FormSave,
    Yes,
    No,
    Resize(u16, u16),
    PointsKey(crossterm::event::KeyEvent),
    PointsEnter,
    PointsField(isize),
    PointsPick(isize),
    PointsEdit,
    /// The points line: the last entry's rule, quantity, day and note for
    /// the member typed, saved at once (Ctrl-P).
    PointsRepeat,
    Statement,
    CheckinStart,
    CheckinKey(crossterm::event::KeyEvent),
    CheckinEnter,
    CheckinScope,
    CheckinPick(isize),
    NewActivity,
    MarkAbsence,
    RankPeriod,
    RankUnit,
    RecordVisit,
    NewTask,
    Reassign,
    ToggleMine,
    NewBeneficiary,
    NewPairing,
    EndPairing,
    /// Import members (roster) or beneficiaries (pairing panel) from a file.
    ImportFile,
    /// Export the rows the roster shows to a file.
    ExportView,
    IoKey(crossterm::event::KeyEvent),
    /// In an import's preview: create the units the file names (`c`).
    IoCreateUnits,
    /// In an import's preview: allow the renames it found (`r`).
    IoAllowRename,
    /// Open the recent-changes pop-up (`L`).
    RecentChanges,
    /// Points panel: open the yearly evaluation (`v`).
    OpenEvaluation,
    /// Points panel: open the approval queue (`a`).
    OpenApprovals,
    /// Points panel: edit the evaluation settings (`S`, admins).
    EvalSettings,
    /// The evaluation: the year before (-1) or after (1).
    EvalYear(i32),
    /// The evaluation: only the 优秀党员 nominations, or everyone (`n`).
    Nominations,
    /// The evaluation as the public notice reads it: earned, deducted,
    /// score, grade and what waits, across the width.
    NoticeTable,
    /// The approval queue: mark or unmark the row (Space), all rows (`*`).
    Mark,
    MarkAll,
    /// The approval queue: approve, reject (asks why), withdraw one's own.
    Approve,
    Reject,
    Withdraw,
    /// 组织生活: the view before (-1) or after (1) — meetings, committee,
    /// movement, partners, posts.
    OrgLifeView(isize),
    /// 组织生活: a new record of the view (meeting, election, flow, partner, post).
    OrgLifeNew,
    /// 组织生活: a resolution with its votes for the selected meeting.
    AddResolution,
    /// 组织生活: a transfer out or in.
    Transfer,
    /// 组织生活: set or clear a member's lost-contact flag.
    LostContact,
    /// 组织生活: close (or reopen) the selected partner.
    ClosePartner,
    /// 组织生活: assign a member to the selected post, or take them off it.
    AssignPost(bool),
    /// 组织生活: every flow, or only those lasting today.
    AllFlows,
    /// 组织生活: the partners a meeting was held with (联建共建).
    MeetingPartners,
    /// The minutes editor: a key typed into the focused field.
    MinutesKey(crossterm::event::KeyEvent),
    /// The minutes editor: save (Ctrl-S).
    MinutesSave,
    /// The member pick list over a tie: the n-th row (0-based), by its digit.
    PickNth(usize),
    /// The points panel: reverse the statement's chosen entry (`R`, asks
    /// why); redeem a reward for the member shown (`$`).
    ReverseEntry,
    Redeem,
    /// The roster: sort the other way round (`S`); cycle the status filter (`f`).
    SortReverse,
    StatusFilter,
    /// Bulk marks: unmark every row (`U`); start or end a range that follows
    /// the cursor (`V`); mark while moving (Shift-↓/↑).
    UnmarkAll,
    MarkRange,
    MarkExtend(isize),
    /// The activities panel: open the roll of the selected activity (`r`).
    OpenRoll,
    /// The roll: check in, mark absent (asks why), absent without leave,
    /// award points (asks the rule) — for every marked member.
    RollCheckIn,
    RollAbsent,
    RollUnexcused,
    RollPoints,
}

/// Which part of this app asked for a change, so the runner knows what to do
/// when it lands (close the form, pop the undo stack, clear the entry line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Form,
    Undo,
    Redo,
    Key,
    /// The points panel's quick-entry line.
    PointsLine,
}

/// Work for the runner. One lives for a single step, so the size difference
/// between carrying a whole `Command` and an id costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Apply {
        cmd: Command,
        via: Via,
    },
    /// Load a member's statement and monthly points for the points panel.
    ShowMember(MemberId),
    /// Read a member's whole record and open the form that edits it.
    EditMember(MemberId),
    /// Load the activities list with attendance counts.
    LoadActivities,
    /// Compute the points panel's ranking for its period and subtree.
    LoadRanking,
    /// Load the pairing panel: visits, open tasks, the selection's history.
    LoadCare,
    /// Open the new-pairing form with members suggested for this beneficiary.
    SuggestPairing(BeneficiaryId),
    /// Load one activity's attendance (for its detail or check-in mode).
    OpenActivity(ActivityId),
    /// Compute the overview's figures for its period and subtree.
    LoadOverview,
    /// Plan or write an import, or write an export.
    Io(IoEffect),
    /// Read the audit log's newest entries into the recent-changes pop-up.
    OpenChanges,
    /// Read the users into the users pop-up.
    OpenUsers,
    /// Compute the open evaluation layer's year and scope.
    LoadEvaluation,
    /// Read the open approval queue's pending entries.
    LoadApprovals,
    /// Read the evaluation settings into their form.
    OpenEvalSettings,
    /// What the organisational-life panel reads.
    OrgLife(OrgLifeEffect),
    /// Read the rewards catalogue into the redeem form (for this member).
    OpenRedeem(Option<MemberId>),
    /// Apply these commands one by one (bulk marks), each audited and
    /// undoable on its own.
    ApplyAll {
        cmds: Vec<Command>,
        via: Via,
    },
}

/// What the organisational-life panel asks the runner to read.
#[derive(Debug, Clone, PartialEq)]
pub enum OrgLifeEffect {
    /// The panel's lists for its view, period and unit.
    Load,
    /// A meeting's record, shown over the panel.
    OpenMeeting(ActivityId),
    /// The minutes editor for a meeting, with its record as stored.
    EditMinutes(ActivityId),
    /// The resolution form for a meeting, over its record as stored.
    AddResolution(ActivityId),
    /// Meetings whose topics or minutes mention the text.
    Search(String),
    /// A member's movement history.
    Movement(MemberId),
    /// The roster, filtered to the members holding a post.
    Holders(String),
    /// The form naming the partners a meeting was held with.
    EditPartners(ActivityId),
    /// What the selected row shows beside the list (a member's movement, a
    /// post's holders), without reading the lists again.
    Selected,
}

/// Import / export work for the runner.
#[derive(Debug, Clone, PartialEq)]
pub enum IoEffect {
    Plan {
        kind: ImportKind,
        path: String,
        create_units: bool,
        committee: Option<String>,
        allow_rename: bool,
    },
    Commit,
    ExportRoster {
        path: String,
    },
    /// The public notice (公示) of an evaluation's year and scope, as xlsx.
    ExportNotice {
        path: String,
        org: Option<OrgUnitId>,
        year: i32,
    },
    /// A meeting's printed minutes: plain text (`.txt`) or a workbook.
    ExportMinutes {
        path: String,
        activity: ActivityId,
    },
}

/// Whose change is being reloaded: this session's own (status line, cursor
/// jump, the points panel's recent entries follow) or someone else's, heard
/// of through a change notice (data only: nothing typed is touched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Own,
    Other,
}

/// What a layer or a panel did with an action: took it (with work for the
/// runner, perhaps), or left it to whatever is under it.
/// Lives for one step, as `Effect` does: not worth boxing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    Consumed(Option<Effect>),
    Ignored,
}

impl Handled {
    /// Taken, with nothing for the runner.
    pub const DONE: Handled = Handled::Consumed(None);

    pub fn effect(effect: Effect) -> Handled {
        Handled::Consumed(Some(effect))
    }
}
