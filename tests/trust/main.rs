//! Trust on a shared server, tried as a hostile user on the same machine
//! would: real OS users (made with useradd: the tests run as root), a client
//! that speaks the socket protocol itself and asks for everything, notices,
//! revocation, floods of connections, idle and trickling clients.

#[path = "../common/mod.rs"]
mod common;

mod approval;
mod auto;
mod flood;
mod live;
mod oracle;
mod osuser;
mod raw;
mod roles;
mod served;

/// The other side of `raw::as_user`: this binary run again as another user.
#[test]
#[ignore = "run by the trust tests as another OS user"]
fn trust_child() {
    raw::child();
}
