//! Who is running the program: the OS user, never a name the user types.

/// The login name of the real user of this process.
pub fn os_login() -> Result<String, String> {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => Ok(user.name),
        Ok(None) => Err(format!("user id {uid} has no entry in the user database")),
        Err(e) => Err(format!("cannot look up user id {uid}: {e}")),
    }
}
