// TEMPORARY STUB until the real module lands.
pub struct NameKeys {
    pub initials: Vec<String>,
    pub full: Vec<String>,
}
pub fn name_keys(_name: &str) -> NameKeys {
    NameKeys {
        initials: vec![],
        full: vec![],
    }
}
pub fn search_keys(_name: &str) -> Vec<String> {
    vec![]
}
pub fn normalize_query(q: &str) -> String {
    q.trim().to_lowercase()
}
pub fn match_score(_name: &str, _keys: &NameKeys, _q: &str) -> Option<u32> {
    Some(1)
}
