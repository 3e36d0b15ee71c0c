//! The store server's wire format, shared by the server and its clients.
//!
//! A frame is a u32 big-endian length, then that many bytes: one protocol
//! version byte and the bincode (serde, standard config) encoding of a message.
//! A frame longer than `MAX_FRAME` is refused before its body is read. No raw
//! tree ever travels: what the layers above ask and answer (typed reads,
//! commands, who-am-I, change notices) rides inside `Read`, `Op` and `Notice`
//! as bytes they encode with `encode_value`, so the store does not depend on
//! them and bincode stays in this module and the codec. An answer larger than
//! a frame comes as `ReadPart`s and a last `Read`.

use super::StoreError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// Bumped whenever a message changes shape; a peer speaking another version is
/// refused with a message, never misread.
pub const PROTOCOL_VERSION: u8 = 4;

/// 16 MiB: far above any honest message (scans come in pages of at most
/// `PAGE_BYTES`), far below what would hurt an old PC to buffer.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

/// The largest part of an answer one frame carries.
pub const PART_BYTES: usize = 8 * 1024 * 1024;

/// The largest whole answer a client accepts (the parts of one answer added
/// up): a roster export of a street office's 100,000 members is a few tens of
/// megabytes; more than this is a server gone wrong.
pub const MAX_ANSWER: usize = 512 * 1024 * 1024;

/// How a server's refusal of a frame it cannot read begins (then the
/// connection closes). A client that asked for something newer than the
/// server it reached (a server started before an upgrade) knows it by this.
pub const REFUSED_FRAME: &str = "refused a bad frame";

/// A streamed answer (a backup, an export) travels in chunks of about this
/// many bytes, well under `MAX_FRAME`.
pub const CHUNK: usize = 1024 * 1024;

/// The codec's settings with a limit, so a length inside a hostile frame
/// cannot make the decoder reserve more than a frame could hold.
fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_FRAME>()
}

/// The bytes a message carries (an encoded question, answer, notice, a
/// backup's chunk) as one run, not one value a byte: the same bytes on the
/// wire as a sequence of `u8` (a length, then the bytes), read and written
/// at memory speed. The decode limit holds as for any length.
mod bytes {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        d.deserialize_byte_buf(Bytes)
    }

    struct Bytes;

    impl<'de> Visitor<'de> for Bytes {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::new();
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}

/// What a client asks of the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The first request of every connection: the server answers `Welcome`, or
    /// an error when the peer is not a user of this store.
    Hello,
    /// A typed read of the layers above (`access::Read`), encoded by them.
    Read(#[serde(with = "bytes")] Vec<u8>),
    /// A request of the layers above (`ops`), encoded by them.
    Op(#[serde(with = "bytes")] Vec<u8>),
    /// Turn this connection into a feed of change notices.
    Subscribe,
    /// A backup of the whole store (committee admins): answered by
    /// `Chunk`s, then `End` (or `Error`, which ends it too).
    Backup,
    /// Ask a server that was started automatically to stop, so the asker can
    /// open the store's files itself (the store's owner or a committee admin,
    /// and only while nobody else is connected). Answered by `Leaving`, then
    /// the connection closes once the server has let go of the files; or by
    /// `Error` when it stays.
    Leave,
    /// The client is going. A server started automatically to stop with its
    /// last client stops now when this was the last one, and answers
    /// `Leaving` (then closes once the files are released, so a client that
    /// returns has left them at rest); otherwise `Staying`.
    Bye,
    /// An export's rows as they are read, the export asked as the layers
    /// above encoded it: answered by `Chunk`s, then `End` (or `Error`). Last
    /// of the requests, so every message before it keeps its bytes.
    Export(#[serde(with = "bytes")] Vec<u8>),
}

/// What the server answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// `client`: the number the server gave this connection; notices of the
    /// changes it made carry it.
    Welcome {
        client: u64,
        login: String,
    },
    /// The answer to a `Read` (its last part, when there were several).
    Read(#[serde(with = "bytes")] Vec<u8>),
    /// A part of an answer too large for one frame; more follows.
    ReadPart(#[serde(with = "bytes")] Vec<u8>),
    Op(#[serde(with = "bytes")] Vec<u8>),
    /// One change notice, on a subscribed connection.
    Notice(#[serde(with = "bytes")] Vec<u8>),
    /// The next part of a streamed answer: bytes of the plaintext backup (at
    /// most `CHUNK`), or rows of an export as the layers above encoded them.
    Chunk(#[serde(with = "bytes")] Vec<u8>),
    /// The streamed answer is whole: a backup of `entries` entries in `bytes`
    /// bytes, an export of `entries` rows.
    End {
        entries: u64,
        bytes: u64,
    },
    /// The server agreed to `Leave`: it stops now, and closes this connection
    /// once the store's files are released.
    Leaving,
    /// The answer to a `Bye` that does not stop the server.
    Staying,
    /// The request was refused or failed; on a bad frame the server closes
    /// the connection after sending this.
    Error(String),
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The peer closed the connection between frames.
    #[error("connection closed")]
    Closed,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("frame of {0} bytes is larger than the {MAX_FRAME} bytes allowed")]
    TooLarge(usize),
    #[error("protocol version {0} is not the version {PROTOCOL_VERSION} this dangjian speaks")]
    Version(u8),
    #[error("malformed frame: {0}")]
    Malformed(String),
}

/// Writes one message as a frame (a single write, so frames never interleave
/// when the caller holds the stream).
pub fn write_frame<T: Serialize>(w: &mut impl Write, msg: &T) -> Result<(), FrameError> {
    let mut buf = vec![0, 0, 0, 0, PROTOCOL_VERSION];
    bincode::serde::encode_into_std_write(msg, &mut buf, bincode_config())
        .map_err(|e| FrameError::Malformed(e.to_string()))?;
    let len = buf.len() - 4;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    buf[..4].copy_from_slice(&(len as u32).to_be_bytes());
    w.write_all(&buf)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame and decodes its message.
pub fn read_frame<T: DeserializeOwned>(r: &mut impl Read) -> Result<T, FrameError> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Err(FrameError::Closed),
            Ok(0) => return Err(FrameError::Malformed("frame ends inside its length".into())),
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    if len == 0 {
        return Err(FrameError::Malformed("empty frame".into()));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            FrameError::Malformed(format!("frame of {len} bytes cut short"))
        } else {
            FrameError::Io(e)
        }
    })?;
    if body[0] != PROTOCOL_VERSION {
        return Err(FrameError::Version(body[0]));
    }
    decode_exact(&body[1..]).map_err(FrameError::Malformed)
}

fn decode_exact<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (value, used) = bincode::serde::decode_from_slice(bytes, bincode_config())
        .map_err(|e| format!("cannot decode: {e}"))?;
    if used != bytes.len() {
        return Err(format!(
            "{} stray bytes after the message",
            bytes.len() - used
        ));
    }
    Ok(value)
}

/// Encodes a message of a layer above the store for `Request::Op` and friends.
/// Decoding runs with the frame's limit, so a length inside hostile bytes
/// cannot make the decoder reserve more than a frame could hold.
pub fn encode_value<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    bincode::serde::encode_to_vec(value, bincode_config()).map_err(|e| StoreError::Encode {
        tree: "(message)",
        reason: e.to_string(),
    })
}

pub fn decode_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    decode_exact(bytes).map_err(StoreError::Connection)
}

/// Decodes a whole answer put together from its parts: the limit is the
/// answer's, not a frame's.
pub fn decode_answer<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let config = bincode::config::standard().with_limit::<MAX_ANSWER>();
    let (value, used) = bincode::serde::decode_from_slice(bytes, config)
        .map_err(|e| StoreError::Connection(format!("cannot decode the answer: {e}")))?;
    if used != bytes.len() {
        return Err(StoreError::Connection(format!(
            "{} stray bytes after the answer",
            bytes.len() - used
        )));
    }
    Ok(value)
}

/// Encodes an answer of any size (sent in parts of `PART_BYTES`).
pub fn encode_answer<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let config = bincode::config::standard().with_limit::<MAX_ANSWER>();
    bincode::serde::encode_to_vec(value, config).map_err(|e| StoreError::Encode {
        tree: "(answer)",
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carried_bytes_are_the_bytes_a_sequence_of_u8_would_be() {
        // The layout of protocol 4 before bytes were carried as one run: a
        // client or server of either kind reads the other.
        #[derive(Serialize, Deserialize)]
        enum Before {
            Welcome { client: u64, login: String },
            Read(Vec<u8>),
        }
        let body: Vec<u8> = (0..=255).chain(0..=255).collect();
        let now = encode_value(&Response::Read(body.clone())).unwrap();
        assert_eq!(now, encode_value(&Before::Read(body.clone())).unwrap());
        assert_eq!(
            decode_value::<Response>(&now).unwrap(),
            Response::Read(body.clone())
        );
        let before = encode_value(&Before::Read(body.clone())).unwrap();
        assert_eq!(
            decode_value::<Response>(&before).unwrap(),
            Response::Read(body)
        );
    }

    #[test]
    fn frames_round_trip_and_refuse_garbage() {
        let req = Request::Read(vec![1, 2, 3]);
        let mut buf = Vec::new();
        write_frame(&mut buf, &req).unwrap();
        assert_eq!(read_frame::<Request>(&mut buf.as_slice()).unwrap(), req);

        let mut bad_version = buf.clone();
        bad_version[4] = 9;
        assert!(matches!(
            read_frame::<Request>(&mut bad_version.as_slice()),
            Err(FrameError::Version(9))
        ));
        let huge = ((MAX_FRAME + 1) as u32).to_be_bytes();
        assert!(matches!(
            read_frame::<Request>(&mut huge.as_slice()),
            Err(FrameError::TooLarge(_))
        ));
        let junk = [0, 0, 0, 3, PROTOCOL_VERSION, 0xff, 0xff];
        assert!(matches!(
            read_frame::<Request>(&mut junk.as_slice()),
            Err(FrameError::Malformed(_))
        ));
        assert!(matches!(
            read_frame::<Request>(&mut [].as_slice()),
            Err(FrameError::Closed)
        ));
    }
}
