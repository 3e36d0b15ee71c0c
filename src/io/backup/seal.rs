//! Sealing: a backup encrypted and authenticated with a passphrase, as an age
//! file in its scrypt passphrase mode (https://age-encryption.org/v1). The
//! plaintext inside is the `format` stream, unchanged. age authenticates its
//! header with a MAC keyed from the passphrase and the payload in 64 KiB
//! chunks, the last one marked, so a wrong passphrase, an edited byte
//! anywhere, or a cut file is refused — the first before any byte comes out,
//! the others at the chunk that fails, before a restore puts anything in place.

use super::BackupError;
use age::secrecy::SecretString;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// How every age file begins.
pub(super) const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// A backup passphrase: never empty, kept out of `Debug`, wiped when dropped.
pub struct Passphrase(SecretString);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

impl Passphrase {
    pub fn new(text: String) -> Result<Passphrase, BackupError> {
        if text.is_empty() {
            return Err(BackupError::EmptyPassphrase);
        }
        Ok(Passphrase(SecretString::from(text)))
    }

    /// The first line of a file, its line ending stripped (so `echo` and an
    /// editor's trailing newline do not become part of the passphrase).
    pub fn from_file(path: &Path) -> Result<Passphrase, BackupError> {
        let fail = |source| BackupError::PassphraseFile {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(fail)?;
        let mut line = String::new();
        std::io::BufReader::new(file)
            .read_line(&mut line)
            .map_err(fail)?;
        let text_len = line
            .strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(&line)
            .len();
        // In place, so the secret is not copied about.
        line.truncate(text_len);
        Passphrase::new(line).map_err(|_| BackupError::EmptyPassphraseFile {
            path: path.to_path_buf(),
        })
    }

    /// Whether two passphrases are the same (the prompt asks twice).
    pub fn same_as(&self, other: &Passphrase) -> bool {
        use age::secrecy::ExposeSecret;
        self.0.expose_secret() == other.0.expose_secret()
    }
}

/// How a backup is written or read.
#[derive(Debug)]
pub enum Sealing {
    Passphrase(Passphrase),
    /// In the clear: only on an explicit `--unencrypted`.
    Unencrypted,
}

/// Wraps `out` so what is written to it is sealed with `passphrase`; call
/// `finish` on the result when done, or the file will not open.
pub(super) fn seal<W: Write>(
    passphrase: &Passphrase,
    out: W,
) -> std::io::Result<age::stream::StreamWriter<W>> {
    // The work factor is age's: about a second of scrypt on this computer.
    age::Encryptor::with_user_passphrase(passphrase.0.clone()).wrap_output(out)
}

/// Opens a sealed stream; what it reads is the plaintext, each chunk
/// authenticated before it is handed out.
pub(super) fn open<'a, R: BufRead + 'a>(
    passphrase: &Passphrase,
    input: R,
    path: &Path,
    size: u64,
) -> Result<Box<dyn Read + 'a>, BackupError> {
    // Only files that start as sealed ones come here (`kind_of`): one that
    // then does not parse as one was sealed and edited (a salt or MAC byte no
    // longer base64), and says so rather than "not a backup".
    let refused = |e: age::DecryptError| match e {
        age::DecryptError::UnknownFormat => BackupError::Unauthenticated {
            path: path.to_path_buf(),
        },
        e => refusal(e, path.to_path_buf(), size),
    };
    let decryptor = age::Decryptor::new_buffered(input).map_err(refused)?;
    if !decryptor.is_scrypt() {
        // Not sealed with a passphrase: an age file for someone's key, or an
        // edited stanza. Either way no passphrase opens it.
        return Err(BackupError::Unauthenticated {
            path: path.to_path_buf(),
        });
    }
    let identity = age::scrypt::Identity::new(passphrase.0.clone());
    let reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(refused)?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, reader)))
}

fn refusal(e: age::DecryptError, path: PathBuf, size: u64) -> BackupError {
    use age::DecryptError as D;
    match e {
        D::ExcessiveWork { required, target } => BackupError::TooMuchWork {
            path,
            required,
            // age accepts up to 16 times its one-second target.
            allowed: target.saturating_add(4),
        },
        D::UnknownFormat => BackupError::NotABackup { path },
        D::Io(source) if source.kind() == std::io::ErrorKind::UnexpectedEof => {
            BackupError::Truncated { path, bytes: size }
        }
        D::Io(source) => BackupError::Read { path, source },
        // A wrong passphrase and an edited header look alike, by design.
        _ => BackupError::Unauthenticated { path },
    }
}
