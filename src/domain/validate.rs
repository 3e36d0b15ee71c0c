// TEMPORARY STUB until the real module lands.
use chrono::NaiveDate;
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("required")]
    Required,
    #[error("too long (at most {max} characters)")]
    TooLong { max: usize },
    #[error("{0} is in the future")]
    FutureDate(NaiveDate),
    #[error("must be more than 0")]
    NotPositive,
    #[error("bad")]
    Bad,
}
pub fn normalize_input(s: &str) -> String {
    s.trim().to_string()
}
pub fn validate_id_number(s: &str) -> Result<String, ValueError> {
    Ok(s.trim().to_uppercase())
}
pub fn validate_phone(s: &str) -> Result<String, ValueError> {
    Ok(s.trim().to_string())
}
pub fn mask_id_number(s: &str) -> String {
    s.to_string()
}
pub fn id_check_char(_s: &str) -> Option<char> {
    Some('0')
}
