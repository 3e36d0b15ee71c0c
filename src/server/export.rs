//! `Request::Export`: the server's side of `dangjian export` on a served
//! store. The rows are made here, from what the asker may see, by the same
//! `access::ExportQ` checks as every export (`send_rows`), and sent as they
//! are read: `Chunk` frames of `access::ExportPart`s (the head, then batches
//! of rows of about `CHUNK` bytes), then `End` with how many rows were sent.
//! A refusal is the last part. Neither side holds the whole table.

use super::Shared;
use crate::access::{ExportPart, ExportQ, View};
use crate::io::export::{ExportError, Rows, Value};
use crate::ops::Actor;
use crate::store::StoreError;
use crate::store::wire::{self, CHUNK, FrameError, Response};
use std::os::unix::net::UnixStream;

/// Answers one export. `Err`: the connection is unusable (the client went
/// away mid-stream), so the caller closes it.
pub(super) fn answer(
    shared: &Shared,
    actor: &Actor,
    stream: &mut UnixStream,
    q: ExportQ,
) -> Result<(), FrameError> {
    let mut out = Chunks {
        stream,
        batch: Vec::new(),
        bytes: 0,
        broken: None,
    };
    let sent = View::new(&shared.store, actor)
        .and_then(|view| q.send_rows(&view, &mut out))
        .and_then(|rows| {
            out.send()?;
            Ok(rows)
        });
    if let Some(broken) = out.broken.take() {
        return Err(broken);
    }
    let rows = match sent {
        Ok(rows) => rows,
        Err(e) => {
            out.batch.clear();
            out.part(&ExportPart::Refused(e))?;
            0
        }
    };
    wire::write_frame(
        out.stream,
        &Response::End {
            entries: rows,
            bytes: 0,
        },
    )
}

/// Rows gathered into batches and sent as `Chunk` frames.
struct Chunks<'a> {
    stream: &'a mut UnixStream,
    batch: Vec<Vec<Value>>,
    /// About how many bytes the batch takes encoded.
    bytes: usize,
    /// Why sending failed, to tell a gone client from a refused export.
    broken: Option<FrameError>,
}

impl Chunks<'_> {
    fn part(&mut self, part: &ExportPart) -> Result<(), FrameError> {
        let bytes =
            wire::encode_value(part).map_err(|e| FrameError::Io(std::io::Error::other(e)))?;
        wire::write_frame(self.stream, &Response::Chunk(bytes))
    }

    /// The batch so far, as one chunk.
    fn send(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = ExportPart::Rows(std::mem::take(&mut self.batch));
        self.bytes = 0;
        self.part(&batch).map_err(|e| {
            let said = StoreError::Connection(e.to_string());
            self.broken = Some(e);
            said
        })
    }
}

/// What a value takes encoded, near enough to cut batches by.
fn size(v: &Value) -> usize {
    match v {
        Value::Text(s) => s.len() + 2,
        _ => 9,
    }
}

impl Rows for Chunks<'_> {
    fn head(&mut self, name: &str, headers: Vec<String>) -> Result<(), ExportError> {
        let head = ExportPart::Head {
            name: name.to_string(),
            headers,
        };
        self.part(&head).map_err(|e| {
            let said = StoreError::Connection(e.to_string());
            self.broken = Some(e);
            ExportError::Store(said)
        })
    }

    fn row(&mut self, row: Vec<Value>) -> Result<(), ExportError> {
        self.bytes += row.iter().map(size).sum::<usize>();
        self.batch.push(row);
        if self.bytes >= CHUNK {
            self.send()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_past_a_chunk_go_in_several_chunks_in_order_and_none_is_lost() {
        let (mut ours, mut theirs) = UnixStream::pair().unwrap();
        let reader = std::thread::spawn(move || {
            let mut rows = Vec::new();
            let mut chunks = 0;
            while let Ok(Response::Chunk(bytes)) = wire::read_frame::<Response>(&mut theirs) {
                chunks += 1;
                match wire::decode_value::<ExportPart>(&bytes).unwrap() {
                    ExportPart::Rows(batch) => rows.extend(batch),
                    other => panic!("{other:?}"),
                }
            }
            (chunks, rows)
        });
        let mut out = Chunks {
            stream: &mut ours,
            batch: Vec::new(),
            bytes: 0,
            broken: None,
        };
        let text = "张".repeat(1000);
        let sent: Vec<Vec<Value>> = (0..1000)
            .map(|i| vec![Value::Int(i), Value::Text(text.clone())])
            .collect();
        for row in sent.clone() {
            out.row(row).unwrap();
        }
        out.send().unwrap();
        drop(ours);
        let (chunks, rows) = reader.join().unwrap();
        // 1,000 rows of ~3 KB: about three chunks of `CHUNK` bytes.
        assert!(chunks >= 3, "{chunks}");
        assert!(rows == sent, "{} rows came", rows.len());
    }
}
